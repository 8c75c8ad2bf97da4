import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, open, checkA11y } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('a resident signs up with phone and password and lands signed in', async () => {
  const { page, errors, context } = await phone(browser);
  await open(page, '/signup');
  await checkA11y(page, '/signup');
  const number = '137' + String(Date.now()).slice(-8);
  await page.getByLabel(/姓名/).fill('王大妈');
  await page.getByLabel(/手机号/).fill(number);
  await page.getByLabel(/^密码/).fill('short');
  // The browser's own minlength check stops this; bypass it to see the server's word.
  await page.locator('form[data-test=signup-form]').evaluate((f) => f.setAttribute('novalidate', ''));
  await page.getByRole('button', { name: '注册' }).click();
  await page.getByRole('alert').filter({ hasText: '密码需 8 至 128 位' }).waitFor();
  await page.getByLabel(/^密码/).fill('laojie-2026');
  await page.getByRole('button', { name: '注册' }).click();
  await page.locator('[data-test=welcome]').filter({ hasText: '王大妈' }).waitFor();
  await open(page, '/me');
  assert.equal(await page.locator('[data-test=me-role]').innerText(), '居民');
  await checkA11y(page, '/me');
  // The same number again is refused with a clear message.
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL(/\/$/);
  await open(page, '/signup');
  await page.getByLabel(/姓名/).fill('王大妈');
  await page.getByLabel(/手机号/).fill(number);
  await page.getByLabel(/^密码/).fill('laojie-2026');
  await page.getByRole('button', { name: '注册' }).click();
  await page.getByRole('alert').filter({ hasText: '该手机号已注册' }).waitFor();
  assert.deepEqual(errors.filter((e) => !/status of 409|status of 422/.test(e)), []);
  await context.close();
});
