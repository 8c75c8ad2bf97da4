import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, open, logIn, checkA11y, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('an admin exports the grids and imports them back', async () => {
  const { page, errors, context } = await phone(browser);
  await logIn(page, WHO.admin);
  await page.locator('[data-test=welcome]').waitFor();
  await open(page, '/admin/grids');
  await checkA11y(page, '/admin/grids');
  const download = page.waitForEvent('download');
  await page.locator('[data-test=export]').click();
  const file = await (await download).path();
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByRole('button', { name: '导入 GeoJSON' }).click();
  await page.locator('[data-test=import-done]', { hasText: '新增 0 个，更新 17 个' }).waitFor();
  // A file that is not GeoJSON gets a clear message.
  await page.locator('input[type=file]').setInputFiles({ name: 'x.geojson', mimeType: 'application/json', buffer: Buffer.from('not json') });
  await page.getByRole('button', { name: '导入 GeoJSON' }).click();
  await page.getByRole('alert').filter({ hasText: 'GeoJSON 格式不正确' }).waitFor();
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
  await context.close();
});
