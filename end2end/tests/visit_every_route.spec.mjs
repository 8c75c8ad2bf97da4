import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedIn, open, BASE, WHO } from './helpers.mjs';

// Every route in app/src/root.rs, opened cold (a full page load, as from a link in a
// WeChat group): it renders, hydrates (the language switch responds) and logs no error.
// ":id" routes use the demo data's first record; a page the admin may not use still
// has to say so in words.
const ROUTES = [
  '/', '/login', '/signup', '/me', '/inbox', '/map', '/grids', '/grids/1', '/admin/grids',
  '/admin/categories', '/report', '/tickets', '/tickets/1', '/stats', '/assessment', '/worklog', '/feedback', '/duty', '/sites', '/sites/1', '/cameras', '/command', '/alerts', '/alerts/new',
  '/notices', '/notices/new', '/missing', '/missing/new', '/shifts', '/shifts/new',
  '/shifts/1', '/shifts/1/checkin', '/me/hours', '/me/hours/certificate', '/events',
  '/teams', '/council', '/study', '/study/rules', '/study/questions', '/study/lessons',
  '/study/lessons/1', '/study/lessons/1/edit', '/study/new-lesson?course=1', '/study/org',
  '/study/meetings', '/study/meetings/1', '/residents', '/admin/audit', '/admin/sms',
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('each route opened cold renders, hydrates and logs no console error', async () => {
  const { page, errors, context } = await signedIn(browser, WHO.admin);
  for (const path of ROUTES) {
    errors.length = 0;
    await open(page, path);
    const main = (await page.locator('main').innerText()).trim();
    assert.ok(main.length > 0, `${path}: main is empty`);
    const before = await page.locator('html').getAttribute('lang');
    await page.locator('[data-test=lang-switch]').click();
    await page.waitForFunction((b) => document.documentElement.lang !== b, before);
    await page.locator('[data-test=lang-switch]').click();
    await page.waitForFunction((b) => document.documentElement.lang === b, before);
    assert.deepEqual(errors, [], `${path}: console errors`);
    assert.equal(await page.locator('[data-test=reload-notice]').count(), 0, `${path}: reload notice`);
  }
  await context.close();
});

test('a page whose code cannot load says so and offers a reload', async () => {
  const { page, context } = await signedIn(browser, WHO.resident);
  await context.route(/\/pkg\/.*\.wasm$/, (route) => route.abort());
  await page.goto(BASE + '/shifts');
  const notice = page.locator('[data-test=reload-notice]');
  await notice.waitFor({ timeout: 10000 });
  assert.match(await notice.innerText(), /重新加载/);
  await context.unroute(/\/pkg\/.*\.wasm$/);
  await Promise.all([page.waitForLoadState('load'), notice.getByRole('button').click()]);
  await page.waitForSelector('body[data-hydrated]', { timeout: 20000 });
  assert.equal(await page.locator('[data-test=reload-notice]').count(), 0);
  await context.close();
});

test('a page whose code cannot load on a later tap says so too', async () => {
  // The home page came alive; then the signal drops before the shifts page's chunk has
  // been fetched. The tap must not leave a page whose buttons silently do nothing.
  const { page, context } = await signedIn(browser, WHO.resident);
  await open(page, '/');
  await context.route(/\/pkg\/.*\.wasm$/, (route) => route.abort());
  await page.locator('[data-test=entry-shifts]').click();
  const notice = page.locator('[data-test=reload-notice]');
  await notice.waitFor({ timeout: 10000 });
  assert.match(await notice.innerText(), /重新加载/);
  await context.unroute(/\/pkg\/.*\.wasm$/);
  // The reload goes where the tap was going.
  await Promise.all([page.waitForURL(/\/shifts$/), notice.getByRole('button').click()]);
  await page.waitForSelector('body[data-hydrated]', { timeout: 20000 });
  await page.locator('main h1').waitFor();
  assert.equal(await page.locator('[data-test=reload-notice]').count(), 0);
  await context.close();
});
