import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signedIn, open, logIn, checkA11y, photo, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

// The middle of 新华街02, 潘月丽's grid.
const XHJ02 = { latitude: 33.588, longitude: 114.028 };

test('a grid worker logs a visit to a care object and turns a problem into a ticket; the director comments', async () => {
  const worker = await phone(browser, { geolocation: XHJ02, permissions: ['geolocation'] });
  await logIn(worker.page, WHO.gridWorker);
  await worker.page.locator('[data-test=entry-worklog]').click();
  await worker.page.waitForURL(/\/worklog$/);
  const first = worker.page.locator('[data-test=care-due] [data-test=care-object]').first();
  await first.waitFor();
  await checkA11y(worker.page, '/worklog (worker)');
  const id = await first.getAttribute('data-id');
  const name = (await first.locator('strong').innerText()).trim();

  // The most overdue care object, one tap to the form.
  await first.locator('[data-test=visit-now]').click();
  assert.equal(await worker.page.locator('[data-test=whom]').inputValue(), id);
  await worker.page.locator('[data-test=how-visit]').check();
  await worker.page.locator('[data-test=heard]').fill('身体还好，说三楼楼道灯坏了一个月');
  await worker.page.locator('[data-test=add-problem]').click();
  const problem = worker.page.locator('[data-test=problem]').first();
  await problem.locator('[data-test=problem-category]').selectOption({ label: '设施损坏（路灯、水管、井盖）' });
  await problem.locator('[data-test=problem-note]').fill('三楼楼道灯不亮');
  // Saving without a category for a second problem is explained, nothing is written.
  await worker.page.locator('[data-test=add-problem]').click();
  await worker.page.locator('[data-test=problem]').nth(1).locator('[data-test=problem-note]').fill('门口杂物');
  await worker.page.locator('[data-test=log-submit]').click();
  await worker.page.getByRole('alert').filter({ hasText: '请选择类别' }).waitFor();
  await worker.page.locator('[data-test=problem]').nth(1).locator('[data-test=problem-remove]').click();
  // The position only when she taps for it.
  await worker.page.locator('[data-test=add-position]').click();
  await worker.page.locator('[data-test=position]').waitFor();
  await worker.page.locator('[data-test=log-submit]').click();
  await worker.page.locator('[data-test=logged]').waitFor();

  // The entry is in her log; its object now shows the visit.
  const entry = worker.page.locator('[data-test=log-entry]').first();
  await entry.locator('[data-test=log-whom]').filter({ hasText: name }).waitFor();
  await worker.page.locator(`[data-test=care-object][data-id="${id}"] [data-test=care-due-line]`)
    .filter({ hasText: '上次走访' }).waitFor();

  // One tap turns the problem into a ticket: the report form is filled in.
  await entry.locator('[data-test=to-ticket]').click();
  await worker.page.waitForURL(/\/report\?/);
  await worker.page.locator('[data-test=from-worklog]').waitFor();
  await worker.page.waitForSelector('body[data-hydrated]');
  assert.equal(await worker.page.locator('[data-test=description]').inputValue(), '三楼楼道灯不亮');
  await worker.page.locator('[data-test=place]').filter({ hasText: '新华街02' }).waitFor();
  const picked = await worker.page.locator('[data-test=category]').evaluate((s) => s.selectedOptions[0]?.textContent ?? '');
  assert.match(picked, /设施损坏/);
  await worker.page.locator('[data-test=photo-input]').setInputFiles(await photo(worker.page, '#455a64'));
  await worker.page.locator('[data-test=picked] img').waitFor();
  await worker.page.locator('[data-test=submit]').click();
  await worker.page.waitForURL(/\/tickets\/\d+$/);
  const ticket = worker.page.url().split('/').pop();
  await open(worker.page, '/worklog');
  await worker.page.locator('[data-test=log-entry]').first().locator('[data-test=problem-ticket]')
    .filter({ hasText: `#${ticket}` }).waitFor();

  // The community's director sees the entry and comments on it; the worker reads it.
  const director = await signedIn(browser, WHO.xhjDirector);
  await open(director.page, '/worklog');
  await director.page.locator('[data-test=care-coverage]').waitFor();
  const seen = director.page.locator('[data-test=log-entry]').filter({ hasText: name }).first();
  await seen.waitFor();
  await checkA11y(director.page, '/worklog (director)');
  await seen.locator('[data-test=comment]').fill('跟进得及时，灯修好后回访一次');
  await seen.locator('[data-test=comment-send]').click();
  await seen.locator('[data-test=comments]').filter({ hasText: '跟进得及时' }).waitFor();
  // A household's history of visits, one tap from the entry (an audited read).
  await seen.locator('a[data-test=log-whom]').click();
  await director.page.waitForURL(/\/worklog\?resident=\d+$/);
  await director.page.locator('[data-test=log-heading]').filter({ hasText: '这位居民的走访记录' }).waitFor();
  await director.page.locator('[data-test=log-entry]').filter({ hasText: name }).first().waitFor();
  await open(worker.page, '/worklog');
  await worker.page.locator('[data-test=log-entry]').first().locator('[data-test=comments]')
    .filter({ hasText: '跟进得及时' }).waitFor();

  // The local check's message stayed in the page; no request failed.
  assert.deepEqual(worker.errors, []);
  assert.deepEqual(director.errors, []);
  await worker.context.close();
  await director.context.close();
});

test('a director names a volunteer as visitor; she sees only whom she visits and logs the visit', async () => {
  const director = await signedIn(browser, WHO.xhjDirector);
  await open(director.page, '/worklog');
  // 陈桂兰 (独居老人, 新华街02); 张秀英 volunteers and lives in the same grid.
  const chen = director.page.locator('[data-test=care-object]').filter({ hasText: '陈桂兰' }).first();
  await chen.waitFor();
  await chen.locator('summary').click();
  const pick = chen.locator('[data-test=plan-visitor]');
  const value = await pick.locator('option', { hasText: '张秀英' }).getAttribute('value');
  await pick.selectOption(value);
  await chen.locator('[data-test=plan-save]').click();
  await director.page.locator('[data-test=care-object]').filter({ hasText: '陈桂兰' }).first()
    .filter({ hasText: '张秀英' }).waitFor();

  const volunteer = await signedIn(browser, WHO.volunteer);
  await open(volunteer.page, '/worklog');
  const mine = volunteer.page.locator('[data-test=care-due] [data-test=care-object]');
  await mine.first().waitFor();
  assert.equal(await mine.count(), 1);
  await checkA11y(volunteer.page, '/worklog (volunteer)');
  await mine.first().locator('[data-test=visit-now]').click();
  await volunteer.page.locator('[data-test=how-visit]').check();
  await volunteer.page.locator('[data-test=heard]').fill('上门陪老人聊天，血压正常');
  await volunteer.page.locator('[data-test=log-submit]').click();
  await volunteer.page.locator('[data-test=logged]').waitFor();
  await volunteer.page.locator('[data-test=log-entry]').filter({ hasText: '陈桂兰' }).first().waitFor();
  await mine.first().locator('[data-test=care-due-line]').filter({ hasText: '上次走访' }).waitFor();
  assert.deepEqual(director.errors, []);
  assert.deepEqual(volunteer.errors, []);
  await director.context.close();
  await volunteer.context.close();
});
