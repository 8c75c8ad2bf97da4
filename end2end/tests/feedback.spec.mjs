import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedIn, open, checkA11y, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('a resident sends a complaint; an admin answers it; the resident reads the answer', async () => {
  const resident = await signedIn(browser, WHO.resident);
  await resident.page.locator('[data-test=entry-feedback]').click();
  await resident.page.waitForURL(/\/feedback$/);
  await resident.page.locator('[data-test=feedback-form]').waitFor();
  await checkA11y(resident.page, '/feedback (resident)');
  await resident.page.locator('[data-test=kind-complaint]').check();
  await resident.page.locator('[data-test=about]').selectOption('service');
  // Too short: explained in words, nothing sent.
  await resident.page.locator('[data-test=body]').fill('太慢');
  await resident.page.locator('[data-test=send]').click();
  await resident.page.getByRole('alert').filter({ hasText: '4–1000 字' }).waitFor();
  await resident.page.locator('[data-test=body]').fill('社区服务站中午十二点到两点没人办事');
  await resident.page.locator('[data-test=send]').click();
  await resident.page.locator('[data-test=sent]').waitFor();
  const mine = resident.page.locator('[data-test=feedback]').filter({ hasText: '中午十二点' });
  await mine.waitFor();
  assert.equal(await mine.getAttribute('data-answered'), 'false');

  const admin = await signedIn(browser, WHO.admin);
  await open(admin.page, '/feedback');
  const item = admin.page.locator('[data-test=feedback]').filter({ hasText: '中午十二点' });
  await item.waitFor();
  await checkA11y(admin.page, '/feedback (admin)');
  await item.locator('[data-test=answer]').fill('已安排午间轮岗，12:00–14:00 有人值守');
  await item.locator('[data-test=answer-send]').click();
  await admin.page.locator('[data-test=feedback][data-answered=true]').filter({ hasText: '午间轮岗' }).waitFor();

  await open(resident.page, '/feedback');
  await resident.page.locator('[data-test=feedback-answer]').filter({ hasText: '午间轮岗' }).waitFor();

  // The refused short message's 422 was shown in words above.
  assert.deepEqual(resident.errors.filter((e) => !/status of 422/.test(e)), []);
  assert.deepEqual(admin.errors, []);
  await resident.context.close();
  await admin.context.close();
});
