import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, open, checkA11y } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('English switch changes every label and is remembered', async () => {
  const { page, errors, context } = await phone(browser);
  await open(page, '/');
  await checkA11y(page, '/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await page.locator('[data-test=entry-map]', { hasText: '查看网格地图' }).waitFor();
  await page.locator('[data-test=lang-switch]').click();
  await page.locator('[data-test=entry-map]', { hasText: 'See the grid map' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await open(page, '/map');
  await page.getByRole('heading', { name: 'Grid map' }).waitFor();
  await page.reload();
  await page.waitForSelector('body[data-hydrated]');
  await page.getByRole('heading', { name: 'Grid map' }).waitFor();
  await checkA11y(page, '/map (en)');
  await page.locator('[data-test=lang-switch]').click();
  await page.getByRole('heading', { name: '网格地图' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
