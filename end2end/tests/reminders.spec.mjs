import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signedIn, checkA11y, cst, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const COORDINATOR = '13903950010'; // 赵春纪
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/** China midnight `days` days after today's. */
function chinaDay(days) {
  const offset = 8 * HOUR;
  return Math.floor((Date.now() + offset) / DAY) * DAY - offset + days * DAY;
}

/** One reminder round on the server as if its clock read `at` (TONGXIN_TEST_CLOCK). */
async function roundAt(page, at) {
  const said = await page.evaluate(async (at) => {
    const r = await fetch(`/api/test/reminders?at=${at}`, { method: 'POST' });
    return `${r.status} ${await r.text()}`;
  }, at);
  assert.match(said, /^200 planned/, said);
}

test('a volunteer\'s shift reminder reaches her inbox two hours before, not sooner, and she sets her quiet hours', async () => {
  // A patrol tomorrow at 14:00 China time (no demo patrol then).
  const start = chinaDay(1) + 14 * HOUR;
  const coordinator = await signedIn(browser, COORDINATOR);
  await open(coordinator.page, '/shifts/new');
  const grid = coordinator.page.locator('[data-test=shift-grid] option', { hasText: '新华街02' });
  await grid.waitFor({ state: 'attached' });
  await coordinator.page.locator('[data-test=shift-grid]').selectOption(await grid.getAttribute('value'));
  const title = `午后巡逻 ${Date.now() % 100000}`;
  await coordinator.page.locator('[data-test=shift-title]').fill(title);
  await coordinator.page.locator('[data-test=shift-place]').fill('新华街社区党群服务中心门口');
  await coordinator.page.locator('[data-test=shift-date]').fill(cst(start).date);
  await coordinator.page.locator('[data-test=shift-time]').fill(cst(start).time);
  await coordinator.page.locator('[data-test=shift-capacity]').fill('4');
  await coordinator.page.locator('[data-test=shift-save]').click();
  await coordinator.page.waitForURL(/\/shifts\/\d+$/);
  const path = coordinator.page.url().replace(/^https?:\/\/[^/]+/, '');

  // 张秀英 signs up.
  const volunteer = await signedIn(browser, WHO.volunteer);
  await open(volunteer.page, path);
  await volunteer.page.locator('[data-test=sign-up]').click();
  await volunteer.page.locator('[data-test=signup-result]').filter({ hasText: '报名成功' }).waitFor();

  // A minute before two hours ahead: the two-hour reminder is not there yet.
  await roundAt(volunteer.page, start - 2 * HOUR - 60 * 1000);
  await open(volunteer.page, '/inbox');
  await volunteer.page.locator('[data-test=reminder-prefs]').waitFor();
  const soon = volunteer.page.locator('[data-test=reminder][data-kind=shift_soon]').filter({ hasText: title });
  assert.equal(await soon.count(), 0, 'no two-hour reminder before its time');

  // Two hours before: on her home page as new, then in her inbox.
  await roundAt(volunteer.page, start - 2 * HOUR);
  await open(volunteer.page, '/');
  await volunteer.page.locator('[data-test=entry-reminders] [data-test=unread-count]').first().waitFor();
  await volunteer.page.locator('[data-test=entry-reminders]').first().click();
  await volunteer.page.waitForURL(/\/inbox$/);
  await soon.waitFor();
  assert.ok((await soon.textContent()).includes('值班提醒'));
  await soon.locator('[data-test=reminder-new]').waitFor();
  assert.equal(await soon.locator('a').getAttribute('href'), path);
  await checkA11y(volunteer.page, '/inbox');
  // Once only: another round at the same time adds nothing.
  await roundAt(volunteer.page, start - 2 * HOUR + 30 * 1000);
  await open(volunteer.page, '/inbox');
  await soon.waitFor();
  assert.equal(await soon.count(), 1);
  // Read now: no longer marked new.
  assert.equal(await soon.locator('[data-test=reminder-new]').count(), 0);

  // Her quiet hours: SMS can't be chosen here (no provider), and a time is saved.
  await volunteer.page.locator('[data-test=remind-sms-note]').filter({ hasText: '短信' }).waitFor();
  assert.equal(await volunteer.page.locator('[data-test=remind-sms]').isDisabled(), true);
  await volunteer.page.locator('[data-test=quiet-from]').fill('22:00');
  await volunteer.page.locator('[data-test=quiet-to]').fill('06:30');
  await volunteer.page.locator('[data-test=prefs-save]').click();
  await volunteer.page.locator('[data-test=prefs-saved]').waitFor();
  // Keeping no channel is refused in words.
  await volunteer.page.locator('[data-test=remind-app]').uncheck();
  await volunteer.page.locator('[data-test=remind-push]').uncheck();
  await volunteer.page.locator('[data-test=prefs-save]').click();
  await volunteer.page.getByRole('alert').filter({ hasText: '至少保留一种提醒方式' }).waitFor();
  await open(volunteer.page, '/inbox');
  assert.equal(await volunteer.page.locator('[data-test=quiet-from]').inputValue(), '22:00');
  assert.equal(await volunteer.page.locator('[data-test=quiet-to]').inputValue(), '06:30');
  assert.equal(await volunteer.page.locator('[data-test=remind-app]').isChecked(), true);
  await checkA11y(volunteer.page, '/inbox (settings)');
  assert.deepEqual(coordinator.errors, []);
  assert.deepEqual(volunteer.errors, []);
});
