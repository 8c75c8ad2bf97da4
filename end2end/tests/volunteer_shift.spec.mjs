import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signedIn, checkA11y, cst, WHO, BASE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const COORDINATOR = '13903950010'; // 赵春纪
const VOLUNTEER = '13903970002'; // 刘建国

/// China time, as the shift form takes it.
/** The number of the China-time week (weeks start on Monday) holding `ms`. */
function cstWeek(ms) {
  const day = Math.floor((ms + 8 * 3600 * 1000) / 86400000);
  // 1970-01-01 was a Thursday: shift so that weeks turn over on Mondays.
  return Math.floor((day + 3) / 7);
}

test('a volunteer signs up for a patrol, the coordinator sees the seat taken, the volunteer checks in with the link', async () => {
  const coordinator = await signedIn(browser, COORDINATOR);
  await open(coordinator.page, '/shifts/new');
  const form = coordinator.page.locator('[data-test=shift-form]');
  await form.waitFor();
  const grid = coordinator.page.locator('[data-test=shift-grid] option', { hasText: '新华街02' });
  await grid.waitFor({ state: 'attached' });
  await checkA11y(coordinator.page, '/shifts/new');
  const title = `红马甲夜间巡逻 ${Date.now() % 100000}`;
  await coordinator.page.locator('[data-test=shift-grid]').selectOption(await grid.getAttribute('value'));
  await coordinator.page.locator('[data-test=shift-title]').fill(title);
  await coordinator.page.locator('[data-test=shift-place]').fill('新华街社区党群服务中心门口');
  // A time in the past is refused in words before anything is sent.
  const past = cst(Date.now() - 3600 * 1000);
  await coordinator.page.locator('[data-test=shift-date]').fill(past.date);
  await coordinator.page.locator('[data-test=shift-time]').fill(past.time);
  await coordinator.page.locator('[data-test=shift-save]').click();
  await coordinator.page.getByRole('alert').filter({ hasText: '开始时间应在现在之后' }).waitFor();
  // Starts in a quarter of an hour: check-in is already open.
  const soonMs = Date.now() + 15 * 60 * 1000;
  const soon = cst(soonMs);
  await coordinator.page.locator('[data-test=shift-date]').fill(soon.date);
  await coordinator.page.locator('[data-test=shift-time]').fill(soon.time);
  await coordinator.page.locator('[data-test=shift-capacity]').fill('3');
  await coordinator.page.locator('[data-test=shift-min]').fill('2');
  await coordinator.page.locator('[data-test=shift-save]').click();
  await coordinator.page.waitForURL(/\/shifts\/\d+$/);
  const url = coordinator.page.url();
  const path = url.replace(/^https?:\/\/[^/]+/, '');
  const id = path.split('/').pop();
  await coordinator.page.locator('[data-test=roster]').waitFor();
  await coordinator.page.locator('[data-test=checkin-qr] img').waitFor();
  await checkA11y(coordinator.page, 'shift (coordinator)');

  // 刘建国 finds it in this week's list from his home page and signs up.
  const volunteer = await signedIn(browser, VOLUNTEER);
  await volunteer.page.locator('[data-test=entry-shifts]').click();
  // Late on a Sunday (China time) a quarter of an hour on is next week.
  if (cstWeek(soonMs) !== cstWeek(Date.now())) {
    await volunteer.page.locator('[data-test=week-label]').waitFor();
    await volunteer.page.locator('[data-test=next-week]').click();
    await volunteer.page.waitForURL(/week=1/);
  }
  const line = volunteer.page.locator(`[data-test=shift-line][data-id="${id}"]`);
  await line.waitFor();
  await checkA11y(volunteer.page, '/shifts');
  await line.locator('a').click();
  await volunteer.page.waitForURL(url);
  await volunteer.page.locator('[data-test=sign-up]').click();
  await volunteer.page.locator('[data-test=signup-result]').filter({ hasText: '报名成功' }).waitFor();
  await volunteer.page.locator('[data-test=my-state]').filter({ hasText: '已报名' }).waitFor();
  assert.equal(await volunteer.page.locator('[data-test=roster]').count(), 0, 'volunteers do not see the roster');
  await checkA11y(volunteer.page, 'shift (volunteer)');

  // The coordinator sees the seat taken.
  await open(coordinator.page, path);
  await coordinator.page.locator('[data-test=roster-line][data-state=seated]').filter({ hasText: '刘建国' }).waitFor();
  assert.match(await coordinator.page.locator('[data-test=shift] [data-test=seats]').textContent(), /^1 \/ 3/);
  const link = await coordinator.page.locator('[data-test=checkin-link]').getAttribute('href');
  assert.match(link, /\/checkin\?t=[0-9a-f]{36}$/);

  // The QR code opens this link on his phone: he checks in.
  await open(volunteer.page, link);
  await volunteer.page.locator('[data-test=checkin-shift]').filter({ hasText: title }).waitFor();
  await checkA11y(volunteer.page, 'check-in page');
  await volunteer.page.locator('[data-test=check-in]').click();
  await volunteer.page.locator('[data-test=checkin-result]').filter({ hasText: '已签到' }).waitFor();
  await volunteer.page.locator('[data-test=check-out]').waitFor();

  await open(coordinator.page, path);
  await coordinator.page.locator('[data-test=roster-line]').filter({ hasText: '刘建国' }).locator('[data-test=arrived]').waitFor();

  // His hours page lists the shift.
  await open(volunteer.page, '/me/hours');
  await volunteer.page.locator(`[data-test=my-shifts] [data-id="${id}"]`).waitFor();
  await checkA11y(volunteer.page, '/me/hours');

  // His private calendar link lists it for his phone's calendar app.
  await volunteer.page.locator('[data-test=calendar-show]').click();
  const feed = await volunteer.page.locator('[data-test=calendar-link]').getAttribute('href');
  assert.match(feed, /\/calendar\/[0-9a-f]{36}\.ics$/);
  const ics = await volunteer.page.request.get(feed);
  assert.equal(ics.status(), 200);
  assert.match(ics.headers()['content-type'], /^text\/calendar/);
  assert.ok((await ics.text()).includes(`SUMMARY:${title}`));

  // The coordinator exports the week's roster with his seat in it.
  const offset = cstWeek(soonMs) - cstWeek(Date.now());
  await open(coordinator.page, offset > 0 ? `/shifts?week=${offset}` : '/shifts');
  const csvHref = await coordinator.page.locator('[data-test=export-csv]').getAttribute('href');
  const csv = await coordinator.page.request.get(new URL(csvHref, BASE).href);
  assert.equal(csv.status(), 200);
  const text = await csv.text();
  assert.ok(text.includes(title) && text.includes('刘建国'), text);
  const xlsx = await coordinator.page.request.get(new URL(await coordinator.page.locator('[data-test=export-xlsx]').getAttribute('href'), BASE).href);
  assert.equal(xlsx.status(), 200);
  assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK');
  assert.deepEqual(coordinator.errors, []);
  assert.deepEqual(volunteer.errors, []);
});

test('a coordinator makes a second team for a grid short of one and adds a member by phone', async () => {
  const coordinator = await signedIn(browser, COORDINATOR);
  await open(coordinator.page, '/shifts');
  await coordinator.page.locator('[data-test=team-gap]').filter({ hasText: '滨西03' }).waitFor();
  await coordinator.page.locator('[data-test=teams-link]').click();
  await coordinator.page.waitForURL(/\/teams$/);
  const form = coordinator.page.locator('[data-test=team-new]');
  await form.waitFor();
  const grid = coordinator.page.locator('[data-test=team-grid] option', { hasText: '滨西03' });
  await coordinator.page.locator('[data-test=team-grid]').selectOption(await grid.getAttribute('value'));
  const name = `滨西03红马甲巡逻二队 ${Date.now() % 1000}`;
  await coordinator.page.locator('[data-test=team-name]').fill(name);
  await coordinator.page.locator('[data-test=team-create]').click();
  const team = coordinator.page.locator('[data-test=team]').filter({ hasText: name });
  await team.locator('[data-test=team-members]').waitFor();
  // A phone nobody registered: refused in words.
  await team.locator('[data-test=member-phone]').fill('13900000009');
  await team.locator('[data-test=add-member]').click();
  await team.locator('[data-test=error]').waitFor();
  await team.locator('[data-test=member-phone]').fill(VOLUNTEER);
  await team.locator('[data-test=add-member]').click();
  await team.locator('[data-test=member]').filter({ hasText: '刘建国' }).waitFor();
  await team.locator('[data-test=make-leader]').click();
  await team.locator('[data-test=team-leader]').filter({ hasText: '刘建国' }).waitFor();
  await checkA11y(coordinator.page, '/teams');
  await open(coordinator.page, '/shifts');
  await coordinator.page.locator('[data-test=shift-days], [data-test=roster-export]').first().waitFor();
  assert.equal(await coordinator.page.locator('[data-test=team-gap]').filter({ hasText: '滨西03' }).count(), 0);
  // The unknown phone's 422 is expected.
  assert.deepEqual(coordinator.errors.filter((e) => !/status of 422/.test(e)), []);
});

test('a coordinator makes a weekly patrol and edits its rule: one date left out', async () => {
  const coordinator = await signedIn(browser, COORDINATOR);
  await open(coordinator.page, '/shifts/new');
  const grid = coordinator.page.locator('[data-test=shift-grid] option', { hasText: '新华街03' });
  await grid.waitFor({ state: 'attached' });
  await coordinator.page.locator('[data-test=shift-grid]').selectOption(await grid.getAttribute('value'));
  const title = `周巡 ${Date.now() % 100000}`;
  await coordinator.page.locator('[data-test=shift-title]').fill(title);
  await coordinator.page.locator('[data-test=shift-place]').fill('老街社区文化活动室门口');
  const day = 24 * 3600 * 1000;
  const first = Date.now() + 2 * day;
  await coordinator.page.locator('[data-test=shift-date]').fill(cst(first).date);
  await coordinator.page.locator('[data-test=shift-time]').fill('20:00');
  // Every week on the first date's weekday (ticked for him), for three weeks.
  await coordinator.page.locator('[data-test=shift-repeat]').selectOption('1');
  await coordinator.page.locator('[data-test=rule-until]').fill(cst(first + 14 * day).date);
  assert.equal(await coordinator.page.locator('[data-test=rule-weekdays] input:checked').count(), 1);
  await checkA11y(coordinator.page, '/shifts/new (weekly)');
  await coordinator.page.locator('[data-test=shift-save]').click();
  await coordinator.page.waitForURL(/\/shifts\/\d+$/);
  const rule = coordinator.page.locator('[data-test=series-rule]');
  await rule.filter({ hasText: `每周` }).waitFor();
  assert.ok((await rule.textContent()).includes(`至 ${cst(first + 14 * day).date}`));

  // He leaves out the second week: nobody signed up for it, so it is deleted.
  await coordinator.page.locator('[data-test=series-edit]').click();
  await coordinator.page.locator('[data-test=rule-except-date]').fill(cst(first + 7 * day).date);
  await coordinator.page.locator('[data-test=rule-except-add]').click();
  await coordinator.page.locator('[data-test=rule-except] li').filter({ hasText: cst(first + 7 * day).date }).waitFor();
  await checkA11y(coordinator.page, 'series editor');
  await coordinator.page.locator('[data-test=series-save]').click();
  await coordinator.page.locator('[data-test=signup-result]').filter({ hasText: '删除 1 次' }).waitFor();
  await rule.filter({ hasText: `除 ${cst(first + 7 * day).date.slice(5)}` }).waitFor();
  // A rule with no weekday is refused in words before anything is sent.
  // (The editor stays open after an update; open it only if it is closed.)
  if (!(await coordinator.page.locator('[data-test=series] details').evaluate((d) => d.open))) {
    await coordinator.page.locator('[data-test=series-edit]').click();
  }
  await coordinator.page.locator('[data-test=series-form]').waitFor();
  for (const box of await coordinator.page.locator('[data-test=rule-weekdays] input:checked').all()) {
    await box.uncheck();
  }
  await coordinator.page.locator('[data-test=series-save]').click();
  await coordinator.page.getByRole('alert').filter({ hasText: '请至少选择星期几中的一天' }).waitFor();
  assert.deepEqual(coordinator.errors, []);
});
