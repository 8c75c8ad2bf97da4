import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedIn, open, checkA11y, BASE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const MEMBER = '13903970002'; // 刘建国, a resident and party member
const ADMIN = '13903950000';

const number = async (locator) => Number((await locator.textContent()).trim());

test('a party member signs in for the day, takes the daily quiz, and sees points and rank change', async () => {
  const { page, errors } = await signedIn(browser, MEMBER);
  await page.locator('[data-test=entry-study]').click();
  await page.waitForURL(/\/study$/);
  const total = page.locator('[data-test=points-total]');
  await total.waitFor();
  const before = await number(total);
  await checkA11y(page, '/study');

  // Today's sign-in: one point, once.
  await page.locator('[data-test=study-sign-in]').click();
  await page.locator('[data-test=study-notice]').filter({ hasText: '签到成功' }).waitFor();
  await page.locator('[data-test=signed-in]').waitFor();
  assert.equal(await number(total), before + 1);
  await page.locator('[data-test=rank-month-mine]').filter({ hasText: /第 \d+ 名/ }).waitFor();

  // The daily quiz: five questions; the server checks the answers.
  await page.locator('[data-test=quiz-start]').click();
  const questions = page.locator('[data-test=question]');
  await questions.first().waitFor();
  assert.equal(await questions.count(), 5);
  await checkA11y(page, 'daily quiz');
  for (const q of await questions.all()) {
    if ((await q.getAttribute('data-kind')) === 'blank') {
      await q.locator('[data-test=blank]').fill('民主');
    } else {
      await q.locator('input').first().check();
    }
  }
  await page.locator('[data-test=quiz-submit]').click();
  const result = page.locator('[data-test=quiz-result]');
  await result.waitFor();
  const [, right, of, points] = (await result.textContent()).match(/答对 (\d+)\/(\d+) 题，得 (\d+) 分/).map(Number);
  assert.equal(of, 5);
  assert.equal(points, right, 'one point per right answer, under the cap of 5');
  assert.equal(await page.locator('[data-test=review-item]').count(), 5);
  // The review names the options and says 对/错, never bare letters ("A", "ABC", "T").
  for (const line of await page.locator('[data-test=review-given], [data-test=review-answer]').allInnerTexts()) {
    const said = line.split('：').slice(1).join('：').trim();
    assert.ok(said.length > 0, `review line: ${line}`);
    assert.doesNotMatch(said, /^[A-FTF]+$/, `bare letters in the review: ${line}`);
  }
  assert.equal(await page.locator('[data-test=review-answer]').count(), 5 - right, 'the right answer shows under each wrong one');
  await page.locator(`[data-test=points-total]`).filter({ hasText: String(before + 1 + points) }).waitFor();
  await page.locator('[data-test=rank-month] [data-me=true]').filter({ hasText: '刘建国' }).waitFor();
  await page.locator('[data-test=ledger-line]').filter({ hasText: '每日签到' }).waitFor();
  await checkA11y(page, 'quiz review');

  // Wrong answers wait in the 错题本 for a practice round (no points).
  const wrong = 5 - right;
  await page.locator('[data-test=wrong-book] h2').filter({ hasText: `(${wrong})` }).waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=wrong-item]').length === n, wrong);
  if (wrong > 0) {
    await page.locator('[data-test=review-start]').click();
    await page.locator('[data-test=review-round]').waitFor();
    assert.equal(await page.locator('[data-test=question]').count(), wrong);
  }
  // The branch ranking moved with the points, without a reload: what the page shows now
  // is what a fresh load shows.
  const mine = '[data-test=branch-month] [data-me=true]';
  const shown = await page.locator(mine).innerText();
  await open(page, '/study');
  assert.equal(await page.locator(mine).innerText(), shown, 'branch ranking refreshed with the points');
  assert.deepEqual(errors, []);
});

test('an admin changes a points rule; a bad cap is refused in words', async () => {
  const { page, errors } = await signedIn(browser, ADMIN);
  await open(page, '/study');
  await page.locator('[data-test=rules-edit]').click();
  await page.waitForURL(/\/study\/rules$/);
  const rule = page.locator('[data-test=rule][data-activity=reading]');
  await rule.waitFor();
  await checkA11y(page, '/study/rules');
  await rule.locator('[data-test=rule-points]').fill('2');
  await rule.locator('[data-test=rule-cap]').fill('1');
  await rule.locator('[data-test=rule-save]').click();
  await rule.getByRole('alert').filter({ hasText: '每日上限应不小于每次得分' }).waitFor();
  await rule.locator('[data-test=rule-cap]').fill('8');
  await rule.locator('[data-test=rule-save]').click();
  await rule.locator('[data-test=rule-saved]').waitFor();
  await open(page, '/study');
  await page.locator('[data-test=points-rules] li').filter({ hasText: '每次 2 分，每天最多 8 分' }).waitFor();
  assert.deepEqual(errors, []);
});

test('an admin imports a question bank from the XLSX template', async () => {
  const { page, errors } = await signedIn(browser, ADMIN);
  await open(page, '/study');
  await page.locator('[data-test=questions-link]').click();
  await page.waitForURL(/\/study\/questions$/);
  const count = page.locator('[data-test=questions-count]');
  await count.waitFor();
  const before = Number((await count.textContent()).match(/\d+/)[0]);
  await page.getByText('导入题库').click();
  const href = await page.locator('[data-test=questions-template]').getAttribute('href');
  const template = await page.request.get(new URL(href, BASE).href);
  assert.equal(template.status(), 200);
  const xlsx = await template.body();
  assert.equal(xlsx.subarray(0, 2).toString(), 'PK');
  await checkA11y(page, '/study/questions');
  await page.locator('[data-test=import-file]').setInputFiles({
    name: '题库.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: xlsx,
  });
  await page.locator('[data-test=import-submit]').click();
  await page.locator('[data-test=import-done]').filter({ hasText: '新增 1 题，更新 3 题' }).waitFor();
  // A file with a wrong row: the report names it, nothing is imported.
  await page.locator('[data-test=import-file]').setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('题型,题干,选项A,选项B,答案\n单选,新题,甲,乙,C\n'),
  });
  await page.locator('[data-test=import-submit]').click();
  await page.locator('[data-test=import-errors] tr').filter({ hasText: '答案' }).waitFor();
  await open(page, '/study/questions');
  await count.filter({ hasText: String(before + 1) }).waitFor();
  // The bad file's 422 is expected.
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
});

test('an admin writes a new question and corrects one in the browser', async () => {
  const { page, errors } = await signedIn(browser, ADMIN);
  await open(page, '/study/questions');
  const count = page.locator('[data-test=questions-count]');
  await count.waitFor();
  const before = Number((await count.textContent()).match(/\d+/)[0]);
  await page.locator('[data-test=question-new] summary').click();
  const form = page.locator('[data-test=question-new] [data-test=question-form]');
  await form.locator('[data-test=question-kind]').selectOption('single');
  await form.locator('[data-test=question-stem]').fill('社区“四级管理体系”的最上一级是？');
  await form.locator('[data-test=question-options]').fill('社区大党委');
  await form.locator('[data-test=question-answer]').fill('A');
  await form.locator('[data-test=question-save]').click();
  // One option is not a choice: refused in words.
  await form.locator('[data-test=error]').filter({ hasText: '选择题至少两个选项' }).waitFor();
  await form.locator('[data-test=question-options]').fill('社区大党委\n网格党支部\n网格党小组');
  await form.locator('[data-test=question-save]').click();
  await form.locator('[data-test=question-saved]').waitFor();
  await count.filter({ hasText: String(before + 1) }).waitFor();
  await checkA11y(page, '/study/questions with the new-question form');

  // Correct its text: the bank shows the new one.
  const item = page.locator('[data-test=bank-question]').filter({ hasText: '四级管理体系' });
  await item.locator('[data-test=question-edit]').click();
  await item.locator('[data-test=question-stem]').fill('老街道“四级管理体系”中最上一级是？');
  await item.locator('[data-test=question-save]').click();
  await page.locator('[data-test=bank-question]').filter({ hasText: '老街道“四级管理体系”中最上一级是？' }).waitFor();
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
});

test('a member takes the weekly quiz once; a timed special quiz hands itself in when time is up', async () => {
  const admin = await signedIn(browser, ADMIN);
  await open(admin.page, '/study/questions');
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  await admin.page.locator('[data-test=round-new] summary').click();
  const form = admin.page.locator('[data-test=round-form]');
  await form.locator('[data-test=round-title-input]').fill('“三化融合”专题测验');
  await form.locator('[data-test=round-questions]').fill('3');
  await form.locator('[data-test=round-minutes]').fill('1');
  await form.locator('[data-test=round-opens]').fill(today);
  // Closing before it opens: refused in words.
  const yesterday = new Date(Date.now() - 16 * 3600 * 1000).toISOString().slice(0, 10);
  await form.locator('[data-test=round-closes]').fill(yesterday);
  await form.locator('[data-test=round-create]').click();
  await form.locator('[data-test=error]').filter({ hasText: '截止不早于开始' }).waitFor();
  await form.locator('[data-test=round-closes]').fill(today);
  await form.locator('[data-test=round-create]').click();
  await form.locator('[data-test=round-created]').waitFor();

  const { page, errors } = await signedIn(browser, MEMBER);
  await open(page, '/study');
  const rounds = page.locator('[data-test=rounds]');
  await rounds.locator('[data-test=round-weekly]').click();
  const questions = rounds.locator('[data-test=question]');
  await questions.first().waitFor();
  assert.equal(await questions.count(), 10);
  await rounds.locator('[data-test=quiz-submit]').click();
  await rounds.locator('[data-test=quiz-result]').filter({ hasText: /答对 \d+\/10 题/ }).waitFor();
  await open(page, '/study');
  await rounds.locator('[data-test=round-weekly][data-done=true]').filter({ hasText: /已完成：答对 \d+ \/ 10 题/ }).waitFor();

  // The special quiz: a clock counts down from a minute and hands the answers in at zero.
  const special = rounds.locator('[data-test=round-special]').filter({ hasText: '“三化融合”专题测验' });
  await special.locator('[data-test=round-special-action]').click();
  const clock = rounds.locator('[data-test=quiz-clock]');
  await clock.filter({ hasText: /剩余时间 [01]:\d\d/ }).waitFor();
  assert.equal(await questions.count(), 3);
  await checkA11y(page, 'a timed special quiz');
  await rounds.locator('[data-test=quiz-result]').filter({ hasText: /答对 \d\/3 题/ }).waitFor({ timeout: 90000 });
  await open(page, '/study');
  await special.locator('[data-test=round-special-action][data-done=true]').waitFor();
  assert.deepEqual(errors, []);
  assert.deepEqual(admin.errors.filter((e) => !/status of 422/.test(e)), []);
});
