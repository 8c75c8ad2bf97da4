import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedIn, open, checkA11y } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const MEMBER = '13903970002'; // 刘建国, a resident and party member
const ADMIN = '13903950000';

const number = async (locator) => Number((await locator.textContent()).trim());

test('a party member reads a lesson to the end, learns it, and sees the points', async () => {
  const { page, errors } = await signedIn(browser, MEMBER);
  await open(page, '/study');
  const total = page.locator('[data-test=points-total]');
  await total.waitFor();
  const before = await number(total);

  await page.locator('[data-test=lessons-link]').click();
  await page.waitForURL(/\/study\/lessons$/);
  const course = page.locator('[data-test=course]').filter({ hasText: '三化融合' });
  await course.waitFor();
  await checkA11y(page, '/study/lessons');
  await course.locator('[data-test=lesson-resume]').click();
  await page.waitForURL(/\/study\/lessons\/\d+$/);
  await page.locator('[data-test=lesson-body] h2').first().waitFor();
  await page.locator('[data-test=lesson-progress]').filter({ hasText: /学习中|已读完/ }).waitFor();
  await checkA11y(page, 'a lesson');

  // Reading to the end unlocks "学完了"; it pays the reading points once.
  await page.locator('[data-test=lesson-complete]').scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, 4000);
  await page.locator('[data-test=lesson-progress]').filter({ hasText: '已读完' }).waitFor();
  await page.locator('[data-test=lesson-complete]:not([disabled])').click();
  const notice = page.locator('[data-test=lesson-notice]');
  await notice.filter({ hasText: /积分 \+\d+/ }).waitFor();
  const points = Number((await notice.textContent()).match(/\+(\d+)/)[1]);
  assert.ok(points > 0);
  await page.locator('[data-test=lesson-done]').waitFor();

  // The course shows it learnt and goes on with the next lesson.
  await open(page, '/study/lessons');
  await course.locator('[data-test=course-done]').filter({ hasText: '已学完 1 /' }).waitFor();
  await course.locator('[data-test=lesson-resume]').filter({ hasText: '继续学习' }).waitFor();

  // Points and the ledger on the study page.
  await open(page, '/study');
  await total.filter({ hasText: String(before + points) }).waitFor();
  await page.locator('[data-test=ledger-line]').filter({ hasText: '学习课程' }).waitFor();
  await page.locator('[data-test=rank-month] [data-me=true]').filter({ hasText: '刘建国' }).waitFor();
  assert.deepEqual(errors, []);
});

test('an admin writes a lesson in Markdown, previews it, and a bad link is refused in words', async () => {
  const { page, errors } = await signedIn(browser, ADMIN);
  await open(page, '/study/lessons');
  const course = page.locator('[data-test=course]').filter({ hasText: '三会一课' });
  await course.waitFor();
  await course.locator('[data-test=lesson-add]').click();
  await page.waitForURL(/\/study\/new-lesson\?course=\d+$/);
  await page.locator('[data-test=lesson-form]').waitFor();
  await checkA11y(page, 'lesson editor');
  await page.locator('[data-test=lesson-title-input]').fill('党小组会怎么开');
  await page.locator('[data-test=lesson-minutes]').fill('3');
  await page.locator('[data-test=lesson-body-input]').fill('## 会前\n\n**确定议题**，通知到每位党员。\n\n<script>alert(1)</script>');
  await page.locator('[data-test=lesson-preview]').click();
  const preview = page.locator('[data-test=lesson-preview-body]');
  await preview.locator('strong').filter({ hasText: '确定议题' }).waitFor();
  assert.equal(await preview.locator('script').count(), 0);

  await page.locator('[data-test=lesson-media]').selectOption('video');
  await page.locator('[data-test=lesson-media-url]').fill('ftp://example.org/a.mp4');
  await page.locator('[data-test=lesson-save]').click();
  await page.getByRole('alert').filter({ hasText: '音视频地址应以 https://' }).waitFor();
  await page.locator('[data-test=lesson-media]').selectOption('');
  await page.locator('[data-test=lesson-media-url]').fill('');
  await page.locator('[data-test=lesson-save]').click();
  await page.waitForURL(/\/study\/lessons\/\d+$/);
  await page.locator('[data-test=lesson-title]').filter({ hasText: '党小组会怎么开' }).waitFor();
  await page.locator('[data-test=lesson-body] strong').filter({ hasText: '确定议题' }).waitFor();
  await page.locator('[data-test=lesson-edit]').waitFor();
  // The refused link's 422 is expected.
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
});
