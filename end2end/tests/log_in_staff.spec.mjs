import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, open, logIn, checkA11y, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('a wrong password is explained; the grid worker then signs in and out', async () => {
  const { page, errors, context } = await phone(browser);
  await open(page, '/login');
  await checkA11y(page, '/login');
  await logIn(page, WHO.gridWorker, 'not-the-password');
  await page.getByRole('alert').filter({ hasText: '手机号或密码不正确' }).waitFor();
  await logIn(page, WHO.gridWorker);
  await page.locator('[data-test=welcome]').filter({ hasText: '潘月丽' }).waitFor();
  await open(page, '/me');
  assert.equal(await page.locator('[data-test=me-name]').innerText(), '潘月丽');
  assert.match(await page.locator('[data-test=me-role]').innerText(), /网格员/);
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL(/\/$/);
  await page.locator('[data-test=entry-login]').waitFor();
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
  await context.close();
});
