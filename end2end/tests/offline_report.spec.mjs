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

test('a visit logged and an alert answered with no signal wait on the phone and are sent once when it returns', async () => {
  // 潘月丽 in a basement with no signal logs a visit.
  const worker = await phone(browser);
  await logIn(worker.page, WHO.gridWorker);
  await worker.page.locator('[data-test=welcome]').waitFor();
  await open(worker.page, '/worklog');
  await worker.page.locator('[data-test=log-form]').waitFor();
  await worker.page.evaluate(() => navigator.serviceWorker.ready);
  const HEARD = `地下室住户说排水泵坏了 ${Date.now() % 100000}`;
  const logged = () => worker.page.evaluate(async (h) => {
    const r = await fetch('/api/worklog/list', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'Mine' }),
    });
    return (await r.json()).filter((e) => e.heard === h).length;
  }, HEARD);
  await worker.context.setOffline(true);
  await worker.page.locator('[data-test=subject]').fill('东安街地下室住户');
  await worker.page.locator('[data-test=heard]').fill(HEARD);
  await worker.page.locator('[data-test=log-submit]').click();
  await worker.page.locator('[data-test=saved-offline]').filter({ hasText: '已保存，联网后自动发送 (1)' }).waitFor();
  await worker.page.locator('[data-test=outbox] [data-test=outbox-item]').filter({ hasText: '东安街地下室住户' }).waitFor();
  assert.equal(await worker.page.locator('[data-test=heard]').inputValue(), '', 'the form is ready for the next visit');
  await checkA11y(worker.page, '/worklog with an entry waiting');
  await worker.context.setOffline(false);
  await worker.page.locator('[data-test=outbox]').waitFor({ state: 'detached', timeout: 20000 });
  assert.equal(await logged(), 1);
  await open(worker.page, '/worklog');
  await worker.page.locator('[data-test=log-entry]').filter({ hasText: HEARD.slice(0, 8) }).first().waitFor();
  assert.equal(await logged(), 1, 'sent once');

  // An alert to the whole street; 陈桂兰 opens it, loses the signal, and answers.
  const admin = await phone(browser);
  await logIn(admin.page, WHO.admin);
  await admin.page.locator('[data-test=welcome]').waitFor();
  const alert = await admin.page.evaluate(async () => {
    const r = await fetch('/api/alert/publish', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { title: '暴雨预警（断网演练）', body: '今夜有暴雨，地下室住户请注意排水。', category: 'Met',
        urgency: 'Expected', severity: 'Moderate', certainty: 'Likely', expires_in_min: 120, targets: [],
        follow_up_after_min: 30 } }),
    });
    return r.json();
  });
  assert.ok(alert.id, JSON.stringify(alert));
  const resident = await phone(browser);
  await logIn(resident.page, WHO.resident);
  await resident.page.locator('[data-test=welcome]').waitFor();
  await open(resident.page, `/alerts/${alert.id}`);
  await resident.page.locator('[data-test=detail-answer-safe]').waitFor();
  await resident.page.evaluate(() => navigator.serviceWorker.ready);
  const answer = () => resident.page.evaluate(async (id) => {
    const r = await fetch('/api/alert/detail', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `id=${id}`,
    });
    return (await r.json()).answer;
  }, alert.id);
  assert.equal(await answer(), null);
  await resident.context.setOffline(true);
  await resident.page.locator('[data-test=detail-answer-safe]').click();
  await resident.page.locator('[data-test=saved-offline]').filter({ hasText: '已保存，联网后自动发送 (1)' }).waitFor();
  await checkA11y(resident.page, 'alert answered offline');
  await resident.context.setOffline(false);
  await resident.page.waitForFunction(async (id) => {
    const r = await fetch('/api/alert/detail', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `id=${id}`,
    });
    return (await r.json()).answer === 'Safe';
  }, alert.id, { timeout: 20000, polling: 500 });
  // Opening the app again sends nothing more, and nothing waits.
  await open(resident.page, '/report');
  assert.equal(await resident.page.locator('[data-test=outbox]').count(), 0);
  const offline = /ERR_INTERNET_DISCONNECTED|Failed to load resource|Failed to fetch|NetworkError/;
  assert.deepEqual(worker.errors.filter((e) => !offline.test(e)), []);
  assert.deepEqual(resident.errors.filter((e) => !offline.test(e)), []);
  // Tidy: the drill's alert is called off so later pages show no banner for it.
  await admin.page.evaluate(async (id) => {
    await fetch('/api/alert/cancel', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `id=${id}`,
    });
  }, alert.id);
  await worker.context.close();
  await admin.context.close();
  await resident.context.close();
});
