import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, open, logIn, signedIn, checkA11y, fileReport, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

// A corner of 新华街02 away from the other specs' reports.
const FIRST = { latitude: 33.5868, longitude: 114.0268 };
// 20 m north of it.
const NEAR = { latitude: FIRST.latitude + 20 / 111195, longitude: FIRST.longitude };

/// The street's figures on /stats, as the page shows them.
async function streetFigures(page) {
  await open(page, '/stats');
  const card = page.locator('[data-test=figures]').first();
  await card.waitFor();
  const n = async (k) => card.locator(`[data-test=${k}]`).innerText();
  return { reported: Number(await n('reported')), fixed: await n('fixed') };
}

test('a resident is offered the open ticket 20 m away and follows it instead of reporting it again', async () => {
  const first = await signedIn(browser, WHO.resident);
  const id = await fileReport(first.page, FIRST, '东安街井盖松动，踩上去晃');

  const second = await phone(browser, { geolocation: NEAR, permissions: ['geolocation'] });
  await logIn(second.page, '13903970002');
  await second.page.locator('[data-test=welcome]').waitFor();
  const before = await streetFigures(second.page);
  await checkA11y(second.page, '/stats');
  await open(second.page, '/report');
  await second.page.locator('[data-test=category] option', { hasText: '设施损坏' }).waitFor({ state: 'attached' });
  await second.page.locator('[data-test=category]').selectOption({ label: '设施损坏（路灯、水管、井盖）' });
  await second.page.locator('[data-test=use-gps]').click();
  const offered = second.page.locator(`[data-test=nearby-ticket][data-id="${id}"]`);
  await offered.waitFor();
  assert.match(await offered.innerText(), /相距 20 米/);
  await offered.locator('img').waitFor();
  await checkA11y(second.page, '/report (same problem nearby)');
  await offered.locator('[data-test=this-is-it]').click();
  await second.page.waitForURL(new RegExp(`/tickets/${id}$`));
  await second.page.locator('[data-test=reports]').filter({ hasText: '2 人反映' }).waitFor();
  await second.page.locator('[data-test=following]').waitFor();

  // Nothing new was filed: the month's count is where it was before her visit plus none.
  const after = await streetFigures(second.page);
  assert.equal(after.reported, before.reported);
  // It is in her own list.
  await open(second.page, '/tickets');
  await second.page.locator(`[data-test=ticket-line][data-id="${id}"]`).waitFor();

  assert.deepEqual(first.errors, []);
  assert.deepEqual(second.errors, []);
  await first.context.close();
  await second.context.close();
});
