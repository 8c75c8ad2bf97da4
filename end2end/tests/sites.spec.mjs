import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedIn, open, checkA11y, photo } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('a grid worker inspects a key site on her phone: a failed item becomes a ticket, a re-inspection closes it', async () => {
  const worker = await signedIn(browser, '13903960051');
  const { page, errors } = worker;
  await open(page, '/sites');
  // Overdue sites per grid: the nursing home registered 40 days ago, never inspected.
  await page.locator('[data-test=overdue-site]', { hasText: '夕阳红敬老院' }).waitFor();
  await checkA11y(page, '/sites (grid worker)');
  await page.locator('[data-test=overdue-site]', { hasText: '夕阳红敬老院' }).click();
  await page.waitForURL(/\/sites\/\d+$/);
  await page.locator('[data-test=site-title]', { hasText: '夕阳红敬老院' }).waitFor();
  const form = page.locator('[data-test=inspect-form]');
  const items = form.locator('[data-test=check-item]');
  assert.equal(await items.count(), 6);

  // Unanswered items are explained before anything is sent.
  await form.locator('[data-test=inspect-save]').click();
  await form.getByRole('alert').filter({ hasText: '合格' }).waitFor();

  // Exits blocked (with a photo); everything else passes.
  for (let i = 0; i < 6; i++) {
    const item = items.nth(i);
    if (i === 1) {
      await item.locator('[data-test=item-fail]').check();
      await item.locator('[data-test=item-note]').fill('二楼安全出口被杂物堵住');
      await item.locator('[data-test=photo-input]').setInputFiles(await photo(page, '#8d6e63'));
      await item.locator('[data-test=picked] img').waitFor();
    } else {
      await item.locator('[data-test=item-pass]').check();
    }
  }
  await checkA11y(page, '/sites/{id} inspecting');
  await form.locator('[data-test=inspect-save]').click();
  await page.locator('[data-test=inspected]', { hasText: '新开工单 1 张' }).waitFor();
  const link = page.locator('[data-test=hazard] [data-test=hazard-ticket]');
  await link.waitFor();
  const ticket = (await link.textContent()).replace('#', '');

  // The ticket is an ordinary report in her queue, with the site and the item.
  await link.click();
  await page.waitForURL(new RegExp(`/tickets/${ticket}$`));
  await page.getByText('夕阳红敬老院').first().waitFor();
  await page.getByText('安全出口').first().waitFor();

  // Days later the exit is clear: the re-inspection passes every item and closes it.
  await page.goBack();
  await page.locator('[data-test=inspect-form]').waitFor();
  const again = page.locator('[data-test=inspect-form] [data-test=check-item]');
  for (let i = 0; i < 6; i++) await again.nth(i).locator('[data-test=item-pass]').check();
  await page.locator('[data-test=inspect-save]').click();
  await page.locator('[data-test=inspected]', { hasText: '复查关闭 1 张' }).waitFor();
  await page.locator('[data-test=no-hazards]').waitFor();
  await open(page, `/tickets/${ticket}`);
  await page.getByText('已关闭').first().waitFor();
  assert.deepEqual(errors, []);
});
