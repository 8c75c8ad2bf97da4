// 三会一课 and the party organisation on a phone: an admin calls a branch assembly,
// shows its QR code and list; a member opens the check-in link the QR code carries,
// checks in and earns the meeting points; the admin records the minutes the member
// then reads; branch rankings on /study; an admin grows the tree and places a member.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedIn, open, checkA11y, BASE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const MEMBER = '13903970002'; // 刘建国, 东安街居民党小组, 中心户
const ADMIN = '13903950000';

/** Today and now in China time, as the date and time inputs want them. */
function chinaNow() {
  const s = new Date(Date.now() + 8 * 3600 * 1000).toISOString();
  return { date: s.slice(0, 10), time: s.slice(11, 16) };
}

test('an admin calls a meeting, a member checks in by its link, minutes are kept', async () => {
  const admin = await signedIn(browser, ADMIN);
  const a = admin.page;
  await open(a, '/study');
  await a.locator('[data-test=meetings-link]').click();
  await a.waitForURL(/\/study\/meetings$/);
  await a.locator('[data-test=meeting-form]').waitFor();
  // Last week's assembly counts in the attendance rates: 3 of 4 came.
  await a.locator('[data-test=rate-branch] [data-test=rate-line]').filter({ hasText: '新华街01网格党支部' })
    .filter({ hasText: '75%' }).waitFor();
  await checkA11y(a, '/study/meetings (admin)');

  // A party group meeting is not a branch's: refused in words, nothing called.
  const form = a.locator('[data-test=meeting-form]');
  const { date, time } = chinaNow();
  const branch1 = await form.locator('[data-test=meeting-org] option').filter({ hasText: '新华街01网格党支部' }).getAttribute('value');
  await form.locator('[data-test=meeting-org]').selectOption(branch1);
  await form.locator('[data-test=meeting-kind]').selectOption('group');
  await form.locator('[data-test=meeting-title]').fill('十二月支部党员大会');
  await form.locator('[data-test=meeting-date]').fill(date);
  await form.locator('[data-test=meeting-time]').fill(time);
  await form.locator('[data-test=meeting-place]').fill('新华街社区党群服务中心');
  await form.locator('[data-test=meeting-call]').click();
  await form.locator('[data-test=error]').filter({ hasText: '这类会议不由该组织召开' }).waitFor();

  await form.locator('[data-test=meeting-kind]').selectOption('assembly');
  await form.locator('[data-test=meeting-call]').click();
  const line = a.locator('[data-test=meetings-upcoming] [data-test=meeting-line]').filter({ hasText: '十二月支部党员大会' });
  await line.waitFor();
  await line.filter({ hasText: '到会 0 / 4 人' }).waitFor();
  await line.locator('a').click();
  await a.waitForURL(/\/study\/meetings\/\d+$/);
  await a.locator('[data-test=meeting-qr-img]').waitFor();
  const qr = await a.request.get(new URL(await a.locator('[data-test=meeting-qr-img]').getAttribute('src'), BASE).href);
  assert.equal(qr.status(), 200);
  assert.match(qr.headers()['content-type'], /image\/svg\+xml/);
  await a.locator('[data-test=attendee]').nth(3).waitFor();
  assert.equal(await a.locator('[data-test=attendee][data-in=true]').count(), 0);
  await checkA11y(a, 'a meeting (admin)');
  const link = await a.locator('[data-test=meeting-checkin-link]').getAttribute('href');
  const meetingUrl = a.url();

  // The member follows the QR code's link and checks in: points once.
  const member = await signedIn(browser, MEMBER);
  const m = member.page;
  await open(m, '/study');
  const total = m.locator('[data-test=points-total]');
  await total.waitFor();
  const before = Number((await total.textContent()).trim());
  await open(m, new URL(link, BASE).pathname + new URL(link, BASE).search);
  await checkA11y(m, 'meeting check-in');
  await m.locator('[data-test=meeting-check-in]').click();
  await m.locator('[data-test=meeting-checkin-result]').filter({ hasText: '已签到，积分 +5' }).waitFor();
  await open(m, '/study/meetings');
  await m.locator('[data-test=meeting-line]').filter({ hasText: '十二月支部党员大会' })
    .locator('[data-test=meeting-mine]').filter({ hasText: '已签到' }).waitFor();
  await checkA11y(m, '/study/meetings (member)');
  await open(m, '/study');
  await total.filter({ hasText: String(before + 5) }).waitFor();
  await m.locator('[data-test=branch-month] [data-me=true]').filter({ hasText: '新华街01网格党支部' }).waitFor();

  // The admin sees who came and keeps the minutes; the member reads them.
  await open(a, new URL(meetingUrl).pathname);
  await a.locator('[data-test=attendee][data-in=true]').filter({ hasText: '刘建国' }).waitFor();
  await a.locator('[data-test=minutes-text]').fill('一、学习“三化融合”经验。\n二、中心户冬季走访分工。');
  await a.locator('[data-test=minutes-save]').click();
  await a.locator('[data-test=minutes-saved]').waitFor();
  await open(m, new URL(meetingUrl).pathname);
  await m.locator('[data-test=minutes-read]').filter({ hasText: '中心户冬季走访分工' }).waitFor();
  assert.equal(await m.locator('[data-test=meeting-qr]').count(), 0, 'members get no QR code');
  // The refused meeting kind's 422 is expected.
  assert.deepEqual(admin.errors.filter((e) => !/status of 422/.test(e)), [], 'admin console');
  assert.deepEqual(member.errors, [], 'member console');
});

test('an admin adds a party group and places a member as 中心户', async () => {
  const { page, errors } = await signedIn(browser, ADMIN);
  await open(page, '/study/org');
  const branch = page.locator('[data-test=org][data-kind=branch]').filter({ hasText: '新华街02网格党支部' });
  await branch.waitFor();
  await checkA11y(page, '/study/org');
  await branch.locator('[data-test=org-add] [data-test=org-name]').fill('马路街党小组');
  await branch.locator('[data-test=org-add] button').click();
  const group = page.locator('[data-test=org][data-kind=group]').filter({ hasText: '马路街党小组' });
  await group.waitFor();
  await group.locator('[data-test=member-pick]').selectOption({ label: '魏留红' });
  await group.locator('[data-test=member-add] input[type=checkbox]').check();
  await group.locator('[data-test=member-add] button').click();
  await group.locator('[data-test=org-member]').filter({ hasText: '魏留红' }).filter({ hasText: '中心户' }).waitFor();
  assert.deepEqual(errors, []);
});
