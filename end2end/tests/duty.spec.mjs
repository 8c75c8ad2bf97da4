import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedIn, open, checkA11y, fileReport, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

/** Where the smoke is: 新华街03 (新华街社区). */
const SMOKE = { latitude: 33.585, longitude: 114.034 };

/** `2026-12` → `2027-01`. */
function following(month) {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

test('staff see who is on duty on every page; a director plans next month; a grid worker asks to swap her shift', async () => {
  // On every page, for staff: who is on duty now (the demo roster).
  const worker = await signedIn(browser, WHO.gridWorker);
  await worker.page.locator('[data-test=duty-strip]').filter({ hasText: '值班' }).waitFor();
  await open(worker.page, '/tickets');
  await worker.page.locator('[data-test=duty-strip]').waitFor();
  await worker.page.locator('[data-test=duty-strip]').click();
  await worker.page.waitForURL(/\/duty$/);
  await worker.page.locator('[data-test=duty-now] [data-test=duty-leader]').waitFor();
  await worker.page.locator('[data-test=roster] [data-test=duty-shift]').first().waitFor();
  await checkA11y(worker.page, '/duty (grid worker)');
  // Residents see no duty line.
  const resident = await signedIn(browser, WHO.resident);
  assert.equal(await resident.page.locator('[data-test=duty-strip]').count(), 0);

  // The community's director plans next month: she leads, three grid leaders in turn.
  const director = await signedIn(browser, WHO.xhjDirector);
  await open(director.page, '/duty');
  const month = following(await director.page.locator('[data-test=duty-month]').inputValue());
  await director.page.locator('[data-test=duty-month]').fill(month);
  await director.page.locator('[data-test=plan] summary').filter({ hasText: month }).click();
  const form = director.page.locator('[data-test=plan-form]');
  // Without an officer the plan is explained and nothing is written.
  await form.locator('[data-test=plan-leaders] label', { hasText: '邓伟' }).locator('input').check();
  await form.locator('[data-test=plan-save]').click();
  await form.getByRole('alert').waitFor();
  for (const name of ['潘月丽']) {
    await form.locator('[data-test=plan-officers] label', { hasText: name }).locator('input').check();
  }
  const others = form.locator('[data-test=plan-officers] label').filter({ hasNotText: '潘月丽' }).filter({ hasNotText: '邓伟' });
  await others.nth(0).locator('input').check();
  await others.nth(1).locator('input').check();
  await checkA11y(director.page, '/duty (director planning)');
  await form.locator('[data-test=plan-save]').click();
  await director.page.locator('[data-test=planned]').waitFor();
  const days = new Date(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0).getDate();
  await director.page.waitForFunction(
    ([m, n]) => [...document.querySelectorAll('[data-test=duty-shift]')]
      .filter((el) => el.textContent.includes(`${m}-`)).length >= n,
    [month, days],
  );

  // 潘月丽 finds her shifts next month and asks to hand one to a colleague.
  await open(worker.page, '/duty');
  await worker.page.locator('[data-test=duty-month]').fill(month);
  const mine = worker.page.locator(`[data-test=duty-shift][data-mine=true]`).filter({ hasText: `${month}-` }).first();
  await mine.waitFor();
  await mine.locator('[data-test=swap-open]').click();
  await mine.locator('[data-test=swap-send]').click();
  await mine.getByRole('alert').waitFor();
  const pick = mine.locator('[data-test=swap-with]');
  const value = await pick.locator('option').nth(1).getAttribute('value');
  await pick.selectOption(value);
  await mine.locator('[data-test=swap-reason]').fill('孩子发烧要去医院');
  await mine.locator('[data-test=swap-send]').click();
  await worker.page.locator('[data-test=swaps] [data-test=swap]').first().waitFor();
  await worker.page.locator('[data-test=swap-status]').filter({ hasText: '等待' }).first().waitFor();

  assert.deepEqual(worker.errors, []);
  assert.deepEqual(director.errors, []);
  await worker.context.close();
  await director.context.close();
  await resident.context.close();
});

test('an emergency rings the officer on duty: the alarm sounds on her page, she acknowledges it and goes there', async () => {
  // Who keeps 新华街社区's duty now (the demo roster takes the grids' leaders in turn).
  const director = await signedIn(browser, WHO.xhjDirector);
  await open(director.page, '/duty');
  const officer = (await director.page.locator('[data-test=duty-now] [data-test=duty-officers]').innerText()).trim();
  let page;
  let context;
  for (const phoneNumber of ['13903960041', WHO.gridWorker, '13903960061']) {
    const p = await signedIn(browser, phoneNumber);
    const name = (await p.page.locator('[data-test=welcome]').innerText()).trim();
    if (name.includes(officer)) { ({ page, context } = p); break; }
    await p.context.close();
  }
  assert.ok(page, `the officer on duty (${officer}) is one of the grid leaders`);
  await context.grantPermissions(['geolocation']);
  // In 新华街03, away from the other specs' reports in 新华街02 (their map dots must not
  // cluster with this one).
  await context.setGeolocation(SMOKE);
  await open(page, '/tickets');

  // A resident reports smoke in 新华街03.
  const resident = await signedIn(browser, WHO.resident);
  const ticket = await fileReport(resident.page, SMOKE, '顺河街8号院三楼冒烟，有焦味', 'emergency');
  const alarm = page.locator('[data-test=emergency] [data-test=alarm]').filter({ hasText: '冒烟' });
  // Live: within seconds, not at the next ten-second check.
  await alarm.waitFor({ timeout: 5000 });
  await alarm.locator('[data-test=alarm-ack-clock]').filter({ hasText: '1 分钟' }).waitFor();
  await checkA11y(page, 'the emergency alarm');
  await alarm.locator('[data-test=alarm-ack]').click();
  await alarm.locator('[data-test=alarm-acked]').waitFor();
  await alarm.locator('[data-test=alarm-there]').click();
  await page.locator('[data-test=emergency]').waitFor({ state: 'detached' });

  // The ticket's timeline keeps both timers' results.
  await open(page, `/tickets/${ticket}`);
  await page.getByText('值班员 1 分钟内接警', { exact: true }).waitFor();
  await page.getByText('3 分钟内到场', { exact: true }).waitFor();
  await open(director.page, '/duty');
  await director.page.locator('[data-test=timer-figures]').filter({ hasText: '1 分钟接警 1 起' }).waitFor();
  await context.close();
  await director.context.close();
  await resident.context.close();
});
