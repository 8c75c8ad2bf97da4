import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { launch, open, signedIn, checkA11y, WHO } from './helpers.mjs';

// The admin sets up the SMS channel on /admin/sms against the local provider
// (end2end/sms-provider.mjs, which checks Alibaba Cloud's signature exactly), sends a
// test message, and reads a refusal in plain words; then switches SMS off again.
let browser;
let provider;
let providerUrl;
before(async () => {
  browser = await launch();
  const script = fileURLToPath(new URL('../sms-provider.mjs', import.meta.url));
  provider = spawn(process.execPath, [script, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(provider.stdout, 'data');
  const port = String(line).trim().replace(/^listening /, '');
  providerUrl = `http://127.0.0.1:${port}`;
});
after(async () => {
  provider.kill();
  await browser.close();
});

// Messages the provider took for the test number (the street's own alert fallbacks may
// go out too while SMS is on: alerts other tests published are past their five minutes).
async function sent() {
  const all = await (await fetch(`${providerUrl}/_sent`)).json();
  return all.filter((m) => m.phone === '13800000001');
}

test('the admin sets up SMS, a wrong secret is explained, the right one sends the test message', async () => {
  const { page, errors, context } = await signedIn(browser, WHO.admin);
  await open(page, '/admin/sms');
  await page.locator('[data-test=sms-source]').waitFor();
  await page.locator('[data-test=sms-provider]').selectOption('aliyun');
  await page.locator('[data-test=sms-url]').fill(providerUrl);
  await page.locator('[data-test=sms-key-id]').fill('LTAItestkey0001');
  await page.locator('[data-test=sms-secret]').fill('not-the-secret');
  await page.locator('[data-test=sms-sign]').fill('老街街道');
  // A template no provider accepts is caught on the phone, in words.
  await page.locator('[data-test=sms-template]').fill('0001');
  await page.locator('[data-test=sms-save]').click();
  assert.match(await page.locator('[data-test=error]').innerText(), /模板编号格式不对/);
  await page.locator('[data-test=sms-template]').fill('SMS_0001');
  await page.locator('[data-test=sms-save]').click();
  await page.locator('[data-test=sms-saved]').waitFor();
  assert.match(await page.locator('[data-test=sms-source]').innerText(), /本页保存/);
  assert.match(await page.locator('[data-test=sms-receipt-path]').innerText(), /^\/api\/sms\/receipts\/aliyun\/[0-9a-f]{32}$/);
  assert.equal(await page.locator('[data-test=sms-secret]').inputValue(), '', 'the secret is not shown again');
  await checkA11y(page, '/admin/sms');

  await page.locator('[data-test=sms-test-phone]').fill('13800000001');
  await page.locator('[data-test=sms-test-send]').click();
  await page.locator('[data-test=sms-test-failed]').waitFor();
  assert.match(await page.locator('[data-test=sms-test-failed]').innerText(), /SignatureDoesNotMatch/);
  assert.match(await page.locator('[data-test=sms-test-why]').innerText(), /密钥/);
  assert.deepEqual(await sent(), []);

  await page.locator('[data-test=sms-secret]').fill('tongxin-aliyun-secret');
  await page.locator('[data-test=sms-save]').click();
  await page.locator('[data-test=sms-saved]').waitFor();
  await page.locator('[data-test=sms-test-send]').click();
  await page.locator('[data-test=sms-test-ok]').waitFor();
  assert.match(await page.locator('[data-test=sms-test-ok]').innerText(), /138\*\*\*\*0001/);
  const messages = await sent();
  assert.equal(messages.length, 1);
  assert.equal(messages[0].phone, '13800000001');

  // Readable at 200 % text size on the phone: nothing runs off to the side.
  await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 0, `scrolls sideways by ${wide}px at 200 %`);
  await page.evaluate(() => { document.documentElement.style.fontSize = ''; });

  // Off again, so the other tests see the street as it was.
  await page.locator('[data-test=sms-provider]').selectOption('');
  await page.locator('[data-test=sms-save]').click();
  await page.locator('[data-test=sms-saved]').waitFor();
  assert.match(await page.locator('[data-test=sms-source]').innerText(), /不会发送任何短信/);
  assert.equal(await page.locator('[data-test=sms-test]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
