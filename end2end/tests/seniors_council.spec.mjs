import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, open, logIn, checkA11y } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const RAISER = '13903970001';
const NEIGHBOUR = '13903970002'; // 刘建国
const COORDINATOR = '13903950010'; // 赵春纪

async function signedIn(who) {
  const p = await phone(browser);
  await logIn(p.page, who);
  await p.page.locator('[data-test=welcome]').waitFor();
  return p;
}

const card = (page, title) => page.locator('[data-test=concern]').filter({ hasText: title });

test('a resident raises a matter, a neighbour supports it, the council decides it and opens a ticket, the raiser sees the outcome', async () => {
  // Anyone can read the board: the demo's decided matter is there.
  const guest = await phone(browser);
  await open(guest.page, '/council');
  await guest.page.locator('[data-test=decided]').filter({ hasText: '小区旱厕污水横流' }).waitFor();
  await checkA11y(guest.page, '/council (guest)');

  const raiser = await signedIn(RAISER);
  await raiser.page.locator('[data-test=entry-council]').click();
  await raiser.page.locator('[data-test=raise-open]').click();
  // Sent empty: a clear message, nothing raised.
  await raiser.page.locator('[data-test=raise-send]').click();
  await raiser.page.locator('[data-test=raise-form] [data-test=error]').waitFor();
  const title = `楼道灯坏了 ${Date.now() % 100000}`;
  const grid = raiser.page.locator('[data-test=raise-grid] option', { hasText: '新华街02' });
  await grid.waitFor({ state: 'attached' });
  await raiser.page.locator('[data-test=raise-grid]').selectOption(await grid.getAttribute('value'));
  await raiser.page.locator('[data-test=raise-title]').fill(title);
  await raiser.page.locator('[data-test=raise-body]').fill('三号楼二单元楼道灯一直不亮，老人晚上下楼不方便。');
  await checkA11y(raiser.page, '/council (raise form)');
  await raiser.page.locator('[data-test=raise-send]').click();
  await raiser.page.locator('[data-test=council-notice]').waitFor();
  const mine = card(raiser.page, title);
  await mine.waitFor();
  assert.equal(await mine.getAttribute('data-status'), 'open');
  assert.equal(await mine.locator('[data-test=support]').count(), 0, 'no supporting one\'s own');

  // 刘建国 supports it.
  const neighbour = await signedIn(NEIGHBOUR);
  await open(neighbour.page, '/council');
  const theirs = card(neighbour.page, title);
  await theirs.locator('[data-test=support]').click();
  await theirs.locator('[data-test=supporters]').filter({ hasText: /^1$/ }).waitFor();
  await theirs.locator('[data-test=support][aria-pressed=true]').waitFor();

  // The council's coordinator puts it on Wednesday's agenda, then records the outcome.
  const coordinator = await signedIn(COORDINATOR);
  await open(coordinator.page, '/council');
  await card(coordinator.page, title).locator('[data-test=schedule]').click();
  const onAgenda = coordinator.page.locator('[data-test=agenda] [data-test=concern]').filter({ hasText: title });
  await onAgenda.waitFor();
  await checkA11y(coordinator.page, '/council (coordinator)');
  await onAgenda.locator('[data-test=decide]').click();
  await onAgenda.locator('[data-test=error]').waitFor();
  await onAgenda.locator('[data-test=outcome-text]').fill('闲事会商定：请物业三天内换灯，网格员回访。');
  const category = onAgenda.locator('[data-test=outcome-category] option').nth(1);
  await category.waitFor({ state: 'attached' });
  await onAgenda.locator('[data-test=outcome-category]').selectOption(await category.getAttribute('value'));
  await onAgenda.locator('[data-test=decide]').click();
  const decided = coordinator.page.locator('[data-test=decided] [data-test=concern]').filter({ hasText: title });
  await decided.locator('[data-test=concern-ticket]').waitFor();

  // The raiser sees the outcome and follows the ticket.
  await open(raiser.page, '/council');
  const done = raiser.page.locator('[data-test=decided] [data-test=concern]').filter({ hasText: title });
  await done.locator('[data-test=outcome]').filter({ hasText: '换灯' }).waitFor();
  await done.locator('[data-test=concern-ticket]').click();
  await raiser.page.waitForURL(/\/tickets\/\d+$/);
  for (const p of [guest, raiser, neighbour, coordinator]) assert.deepEqual(p.errors, []);
});
