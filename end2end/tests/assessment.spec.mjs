import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, signedIn, open, checkA11y, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('a grid worker sees her own month with the arithmetic behind each dimension; the director sees her staff', async () => {
  const worker = await signedIn(browser, WHO.gridWorker);
  await worker.page.locator('[data-test=entry-assessment]').click();
  await worker.page.waitForURL(/\/assessment$/);
  const card = worker.page.locator('[data-test=worker-month]');
  await card.waitFor();
  assert.equal(await card.count(), 1, 'a worker sees only her own month');
  assert.equal(await card.getAttribute('data-worker'), '潘月丽');
  assert.match(await card.locator('[data-test=total]').innerText(), /分 · 等级 [ABCD]/);
  // Each dimension shows how it was reached.
  const handling = card.locator('[data-test=dimension][data-dimension=Handling] [data-test=arithmetic]');
  assert.match(await handling.innerText(), /^40( − \d+×\d+)* = \d+$/);
  await checkA11y(worker.page, '/assessment (worker)');

  const director = await signedIn(browser, WHO.xhjDirector);
  await open(director.page, '/assessment');
  await director.page.locator('[data-test=worker-month][data-worker=潘月丽]').waitFor();
  await checkA11y(director.page, '/assessment (director)');

  assert.deepEqual(worker.errors, []);
  assert.deepEqual(director.errors, []);
  await worker.context.close();
  await director.context.close();
});

/** Last month, China time: '2026-11'. */
function lastMonth() {
  const cst = new Date(Date.now() + 8 * 3600e3);
  const d = new Date(Date.UTC(cst.getUTCFullYear(), cst.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

test('at month end the director publishes; the worker appeals a deduction; another reviewer upholds it and her score and its arithmetic change', async () => {
  const path = `/assessment?month=${lastMonth()}`;
  const director = await signedIn(browser, WHO.xhjDirector);
  await open(director.page, path);
  const card = director.page.locator('[data-test=worker-month][data-worker=潘月丽]');
  await card.waitFor();
  // A deduction needs its evidence: without it the form says so in words.
  await card.locator('[data-test=give] summary').click();
  await card.locator('[data-test=give-kind]').selectOption('deduction');
  await card.locator('[data-test=give-points]').fill('5');
  await card.locator('[data-test=give-send]').click();
  await card.getByRole('alert').filter({ hasText: '请写明依据' }).waitFor();
  await card.locator('[data-test=give-evidence]').fill('12月3日巡查发现井盖缺失未上报');
  await card.locator('[data-test=give-send]').click();
  await card.locator('[data-test=entry][data-kind=deduction]').waitFor({ state: 'attached' });
  const total = async (c) => Number((await c.locator('[data-test=total]').innerText()).match(/([\d.]+) 分/)[1]);
  const docked = await total(card);
  await checkA11y(director.page, '/assessment (review)');
  await director.page.locator('[data-test=publish]').click();
  await director.page.locator('[data-test=month-status][data-status=published]').first().waitFor();
  assert.equal(await director.page.locator('[data-test=publish]').count(), 0);

  // 潘月丽 sees the board by name and appeals the deduction with a reason.
  const worker = await signedIn(browser, WHO.gridWorker);
  await open(worker.page, path);
  await worker.page.locator('[data-test=board]').waitFor();
  const entry = worker.page.locator('[data-test=entry][data-kind=deduction]');
  await entry.locator('[data-test=appeal-open]').click();
  await entry.locator('[data-test=appeal-text]').fill('井盖缺失当天已通过工单上报');
  await checkA11y(worker.page, '/assessment (appeal)');
  await entry.locator('[data-test=appeal-send]').click();
  await entry.locator('[data-test=entry-appeal][data-state=open]').waitFor();

  // The director gave those points, so the street's admin decides.
  const admin = await signedIn(browser, WHO.admin);
  await open(admin.page, path);
  const appeal = admin.page.locator('[data-test=appeal]').first();
  await appeal.waitFor();
  assert.match(await appeal.locator('[data-test=appeal-reason]').innerText(), /工单上报/);
  await appeal.locator('[data-test=decision-reason]').fill('工单记录显示当天已上报，撤销扣分');
  await appeal.locator('[data-test=uphold]').click();
  await admin.page.locator('[data-test=appeal]').first().waitFor({ state: 'detached' });

  await worker.page.reload();
  const mine = worker.page.locator('[data-test=worker-month]');
  await mine.locator('[data-test=entry][data-kind=correction]').waitFor({ state: 'attached' });
  await mine.locator('[data-test=entry][data-kind=deduction] [data-test=corrected]').waitFor({ state: 'attached' });
  assert.equal(await total(mine), docked + 5);
  assert.equal(await mine.locator('[data-test=dimension][data-dimension=Deduction]').count(), 0);

  // The deduction sent without evidence was refused with a 422 (shown in words above).
  assert.deepEqual(director.errors.filter((e) => !/status of 422/.test(e)), []);
  for (const p of [worker, admin]) assert.deepEqual(p.errors, []);
  for (const p of [director, worker, admin]) await p.context.close();
});

test('a director downloads the year as a spreadsheet; an admin turns rankings on and off, and a worker sees them only while on', async () => {
  const director = await signedIn(browser, WHO.xhjDirector);
  await open(director.page, '/assessment');
  const link = director.page.locator('[data-test=year-xlsx]');
  await link.waitFor();
  const [download] = await Promise.all([director.page.waitForEvent('download'), link.click()]);
  assert.match(download.suggestedFilename(), /^assessment-\d{4}\.xlsx$/);
  // An XLSX is a zip: it starts with "PK".
  const bytes = readFileSync(await download.path());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');

  const admin = await signedIn(browser, WHO.admin);
  await open(admin.page, '/assessment');
  const rankings = admin.page.locator('[data-test=rankings]');
  await rankings.waitFor();
  assert.equal(await rankings.getAttribute('data-on'), 'false', 'off by default');
  await checkA11y(admin.page, '/assessment (admin)');
  await admin.page.locator('[data-test=rankings-toggle]').click();
  await admin.page.locator('[data-test=rankings][data-on=true]').waitFor();

  const worker = await signedIn(browser, WHO.gridWorker);
  await open(worker.page, '/assessment');
  await worker.page.locator('[data-test=board] [data-test=board-line][data-rank="1"]').first().waitFor();

  await admin.page.locator('[data-test=rankings-toggle]').click();
  await admin.page.locator('[data-test=rankings][data-on=false]').waitFor();
  await open(worker.page, '/assessment');
  await worker.page.locator('[data-test=worker-month]').waitFor();
  assert.equal(await worker.page.locator('[data-test=board-line][data-rank]').count(), 0);

  // The rules as data: a draft that breaks the 100-point total is refused in words; a
  // stricter yellow card is saved, previewed on last month, and adopted from next month.
  await admin.page.locator('[data-test=rules] summary').click();
  const handling = admin.page.locator('[data-test=rule-handling_base]');
  await handling.fill('50');
  await admin.page.locator('[data-test=rules-save]').click();
  await admin.page.getByRole('alert').filter({ hasText: '合计须为 100' }).waitFor();
  await handling.fill('40');
  await admin.page.locator('[data-test=rule-yellow_card]').fill('8');
  await admin.page.locator('[data-test=rules-save]').click();
  await admin.page.locator('[data-test=rules-done]').filter({ hasText: '已保存' }).waitFor();
  await admin.page.locator('[data-test=rules-preview]').click();
  await admin.page.locator('[data-test=rules-preview-table] [data-test=preview-line]').first().waitFor();
  await checkA11y(admin.page, '/assessment (rules)');
  await admin.page.locator('[data-test=rules-adopt]').click();
  await admin.page.locator('[data-test=rules-done]').filter({ hasText: '起执行' }).waitFor();

  // The refused draft's 422 was shown in words above.
  assert.deepEqual(admin.errors.filter((e) => !/status of 422/.test(e)), []);
  for (const p of [director, worker]) assert.deepEqual(p.errors, []);
  for (const p of [director, admin, worker]) await p.context.close();
});
