import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedIn, open, checkA11y, fileReport, phone, logIn, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

/** Waits until the page's <video> has played at least `seconds` of the stream. */
async function plays(page, scope, seconds = 1) {
  const video = page.locator(`${scope} [data-test=camera-video]`);
  await video.waitFor();
  await page.waitForFunction(
    ([sel, s]) => { const v = document.querySelector(sel); return v && v.currentTime > s; },
    [`${scope} [data-test=camera-video]`, seconds],
    { timeout: 30000 },
  );
}

test('a grid worker watches a camera of her community on her phone, after saying why', async () => {
  const { page, errors } = await signedIn(browser, WHO.gridWorker);
  await open(page, '/cameras');
  const cam = page.locator('[data-test=camera]', { hasText: '新华街口' });
  await cam.waitFor();
  // Another community's camera is not hers to see.
  assert.equal(await page.locator('[data-test=camera]', { hasText: '老街百货商场门口' }).count(), 0);
  await checkA11y(page, '/cameras');
  await cam.locator('[data-test=camera-open]').click();
  // No reason: explained, nothing asked of the platform.
  await cam.locator('[data-test=watch]').click();
  await cam.getByRole('alert').waitFor();
  await cam.locator('[data-test=watch-note]').fill('夜间巡查，查看路口情况');
  await cam.locator('[data-test=watch]').click();
  await plays(page, '[data-test=camera]');
  await checkA11y(page, '/cameras playing');
  assert.deepEqual(errors, []);
});

test('the command screen at 1920×1080 shows a new emergency within 2 s with its timers, and plays a camera', async () => {
  const wall = await phone(browser, { viewport: { width: 1920, height: 1080 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 });
  await logIn(wall.page, WHO.admin);
  await wall.page.locator('[data-test=welcome]').waitFor();
  await open(wall.page, '/command');
  await wall.page.locator('[data-test=funnel-month]').waitFor();
  await wall.page.locator('[data-test=command-clock]', { hasText: '实时' }).waitFor();
  await wall.page.locator('[data-test=panel-funnel] canvas').first().waitFor();
  await checkA11y(wall.page, '/command');

  // A resident reports a fire in 滨西社区 (whose officers on duty are not the duty spec's,
  // so its alarm rings nobody there).
  const resident = await signedIn(browser, WHO.resident);
  const id = await fileReport(resident.page, { latitude: 33.576, longitude: 114.012 }, '滨河西路12号院楼道起火，有焦糊味', 'emergency');
  assert.ok(id > 0);
  const started = Date.now();
  const row = wall.page.locator('[data-test=command-emergency]', { hasText: '起火' });
  await row.waitFor({ timeout: 2000 });
  const took = Date.now() - started;
  assert.ok(took <= 2000, `shown after ${took} ms`);
  // Its clock runs: "00:0x", acknowledged not yet.
  await row.locator('[data-test=emergency-timer]', { hasText: '未接警' }).waitFor();
  const t1 = await row.locator('.timer').textContent();
  await wall.page.waitForFunction((t) => document.querySelector('[data-test=command-emergency] .timer')?.textContent !== t, t1);

  // The camera panel plays the corner camera.
  await wall.page.locator('[data-test=command-camera]', { hasText: '新华街口' }).click();
  const panel = '[data-test=panel-cameras]';
  await wall.page.locator(`${panel} [data-test=watch-ticket]`).fill(String(id));
  await wall.page.locator(`${panel} [data-test=watch]`).click();
  await plays(wall.page, panel);
  assert.deepEqual(wall.errors, []);
  await wall.context.close();
});
