import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, open, logIn, checkA11y, photo, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

// A back lane of 新华街02, where 张秀英 lives (away from the other specs' reports).
const LANE = { latitude: 33.5876, longitude: 114.0268 };
const WORDS = '地下室楼道里垃圾堆了好几天，没信号，先存着';

/// The signed-in person's own reports with these words, as the server has them.
async function mine(page) {
  return page.evaluate(async (w) => {
    const r = await fetch('/api/ticket/mine', { method: 'POST' });
    return (await r.json()).filter((t) => t.description === w).length;
  }, WORDS);
}

test('a report made with no signal, with a photo, waits on the phone and is sent once when the signal returns', async () => {
  const { context, page, errors } = await phone(browser, { geolocation: LANE, permissions: ['geolocation'] });
  await logIn(page, WHO.volunteer);
  await page.locator('[data-test=welcome]').waitFor();
  // Online once: the service worker installs and keeps the report form and its code.
  await open(page, '/report');
  await page.waitForFunction(async () => {
    await navigator.serviceWorker.ready;
    const c = await caches.open('tongxin-offline-v1');
    const keys = (await c.keys()).map((k) => new URL(k.url).pathname);
    return keys.includes('/report') && keys.some((k) => k.includes('split_ticket_area'));
  }, null, { timeout: 20000 });
  assert.equal(await mine(page), 0);

  // In a basement: no signal at all. The form still opens (the service worker's copy).
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('body[data-hydrated]', { timeout: 20000 });
  await page.locator('[data-test=category] option', { hasText: '环境卫生' }).waitFor({ state: 'attached' });
  await page.locator('[data-test=category]').selectOption({ label: '环境卫生、垃圾堆放' });
  await page.locator('[data-test=description]').fill(WORDS);
  await page.locator('[data-test=use-gps]').click();
  await page.locator('[data-test=photo-input]').setInputFiles(await photo(page, '#2e7d32'));
  await page.locator('[data-test=picked] img').waitFor();
  await page.locator('[data-test=submit]').click();
  await page.locator('[data-test=saved-offline]').filter({ hasText: '已保存，联网后自动发送 (1)' }).waitFor();
  const waiting = page.locator('[data-test=outbox] [data-test=outbox-item]');
  await waiting.filter({ hasText: WORDS.slice(0, 10) }).waitFor();
  assert.equal(await waiting.count(), 1);
  // The form is ready for the next report.
  assert.equal(await page.locator('[data-test=description]').inputValue(), '');
  assert.equal(await page.locator('[data-test=picked] img').count(), 0);
  await checkA11y(page, '/report with a report waiting');

  // Signal again: it goes by itself, once.
  await context.setOffline(false);
  await page.locator('[data-test=outbox]').waitFor({ state: 'detached', timeout: 20000 });
  assert.equal(await mine(page), 1);
  // Opening the app again sends nothing twice.
  await open(page, '/tickets');
  await page.locator('[data-test=ticket-line]').filter({ hasText: WORDS.slice(0, 10) }).first().waitFor();
  assert.equal(await mine(page), 1);
  const photos = await page.evaluate(async (w) => {
    const r = await fetch('/api/ticket/mine', { method: 'POST' });
    return (await r.json()).find((t) => t.description === w);
  }, WORDS);
  assert.ok(photos, 'the report is on the server');
  // Console errors while offline are the failed requests of having no signal.
  assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource|Failed to fetch|NetworkError/.test(e)), []);
  await context.close();
});
