import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, open, logIn, checkA11y, photo, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

// The middle of 新华街02, 潘月丽's grid.
const XHJ02 = { latitude: 33.588, longitude: 114.028 };

async function signedIn(opts, who) {
  const p = await phone(browser, opts);
  await logIn(p.page, who);
  await p.page.locator('[data-test=welcome]').waitFor();
  return p;
}

test('a director sends a staff notice; the grid leader reads it; the director sees the read receipt', async () => {
  const director = await signedIn({}, WHO.xhjDirector);
  await open(director.page, '/notices/new');
  await director.page.locator('[data-test=target-LJ-XHJ-02]').waitFor();
  await checkA11y(director.page, '/notices/new');
  // An empty text is refused in words, and nothing is sent.
  await director.page.locator('[data-test=notice-title]').fill('今晚网格员集中巡查');
  await director.page.locator('[data-test=notice-body]').fill('   ');
  await director.page.locator('[data-test=notice-send]').click();
  await director.page.locator('[data-test=error]').filter({ hasText: '请填写' }).waitFor();
  const title = `今晚网格员集中巡查 ${Date.now() % 100000}`;
  await director.page.locator('[data-test=notice-title]').fill(title);
  await director.page.locator('[data-test=notice-body]').fill('19:00 在新华街社区党群服务中心集合，分片巡查背街小巷的路灯和井盖，带好手电。');
  await director.page.locator('[data-test=target-LJ-XHJ-02]').check();
  await director.page.locator('[data-test=notice-send]').click();
  await director.page.waitForURL(/\/notices\/\d+$/);
  const url = director.page.url();
  const rows = director.page.locator('[data-test=receipt-row]');
  await rows.first().waitFor();
  const recipients = await rows.count();
  assert.ok(recipients >= 5, `the grid's five duties receive it (got ${recipients})`);
  assert.equal(await director.page.locator('[data-test=receipt-summary]').textContent(), `已读 0 / ${recipients}`);
  await checkA11y(director.page, 'notice with receipts');

  // 潘月丽 sees an unread badge on her home page and in her inbox.
  const leader = await signedIn({}, WHO.gridWorker);
  await leader.page.locator('[data-test=entry-notices] [data-test=unread-count]').waitFor();
  await leader.page.locator('[data-test=entry-notices]').click();
  const line = leader.page.locator('[data-test=notice-list] li').filter({ hasText: title });
  await line.locator('[data-test=unread]').waitFor();
  await checkA11y(leader.page, '/notices');
  await line.locator('a').click();
  await leader.page.waitForURL(url);
  await leader.page.locator('[data-test=my-receipt]').waitFor();
  assert.equal(await leader.page.locator('[data-test=receipts]').count(), 0, 'a grid leader does not see others\' receipts');

  await open(director.page, url.replace(/^https?:\/\/[^/]+/, ''));
  assert.equal(await director.page.locator('[data-test=receipt-summary]').textContent(), `已读 1 / ${recipients}`);
  await director.page.locator('[data-test=receipt-row]').filter({ hasText: '潘月丽' }).filter({ hasText: '已读' }).waitFor();
  assert.deepEqual(director.errors, []);
  assert.deepEqual(leader.errors, []);
});

test('a grid leader posts a lost-person notice; a resident sends a tip with a photo and place; staff see it and close it', async () => {
  const worker = await signedIn({}, WHO.gridWorker);
  await open(worker.page, '/missing/new');
  await worker.page.locator('[data-test=missing-form]').waitFor();
  await checkA11y(worker.page, '/missing/new');
  const name = `王秀兰${Date.now() % 1000}`;
  await worker.page.locator('[data-test=missing-name]').fill(name);
  await worker.page.locator('[data-test=missing-age]').fill('200');
  await worker.page.locator('[data-test=missing-description]').fill('身穿蓝色棉袄，灰白短发，说话带本地口音，有轻度记忆障碍。');
  await worker.page.locator('[data-test=missing-place]').fill('人民路菜市场东门');
  // An impossible age is stopped by the form itself before anything is sent.
  assert.equal(await worker.page.locator('[data-test=missing-age]').evaluate((e) => e.checkValidity()), false);
  await worker.page.locator('[data-test=missing-age]').fill('78');
  await worker.page.locator('[data-test=photo-input]').setInputFiles(await photo(worker.page, '#1565c0'));
  await worker.page.locator('[data-test=picked] img').waitFor();
  await worker.page.locator('[data-test=missing-submit]').click();
  await worker.page.waitForURL(/\/missing\/\d+$/);
  const url = worker.page.url();
  const path = url.replace(/^https?:\/\/[^/]+/, '');
  await worker.page.locator('[data-test=missing-poster] img').waitFor();
  await worker.page.locator('[data-test=tips] [data-test=tip-count]').filter({ hasText: /^0$/ }).waitFor();

  // 陈桂兰 finds the notice from her home page and sends what she saw.
  const resident = await signedIn({ geolocation: XHJ02, permissions: ['geolocation'] }, WHO.resident);
  await resident.page.locator('[data-test=entry-missing]').click();
  await resident.page.locator('[data-test=missing-list] li').filter({ hasText: name }).locator('a').click();
  await resident.page.waitForURL(url);
  await resident.page.locator('[data-test=tip-form]').waitFor();
  assert.equal(await resident.page.locator('[data-test=tips]').count(), 0, 'residents do not see other people\'s tips');
  await checkA11y(resident.page, 'missing poster (resident)');
  await resident.page.locator('[data-test=tip-send]').click();
  await resident.page.locator('[data-test=error]').waitFor();
  await resident.page.locator('[data-test=tip-text]').fill('十分钟前在公安街口的早餐店门口见到一位穿蓝棉袄的老太太');
  await resident.page.locator('[data-test=photo-input]').setInputFiles(await photo(resident.page, '#6d4c41'));
  await resident.page.locator('[data-test=picked] img').waitFor();
  await resident.page.locator('[data-test=tip-position]').check();
  await resident.page.locator('[data-test=tip-send]').click();
  await resident.page.locator('[data-test=tip-thanks]').waitFor();
  await resident.page.locator('[data-test=tips-sent]').waitFor();

  // Staff see the tip with its photo, the sender (number masked) and the place on the map.
  await open(worker.page, path);
  const tip = worker.page.locator('[data-test=tip]').first();
  await tip.filter({ hasText: '早餐店' }).waitFor();
  await tip.filter({ hasText: '139****0001' }).waitFor();
  assert.equal(await tip.locator('img').count(), 1);
  await worker.page.locator('[data-test=tips] path.spot').first().waitFor({ state: 'attached' });
  assert.equal(await worker.page.locator('[data-test=tips] path.spot').count(), 1, 'the tip is a dot on the map');
  await checkA11y(worker.page, 'missing poster (staff)');
  await worker.page.locator('[data-test=found-note-input]').fill('已在公安街找到，平安送回家');
  await worker.page.locator('[data-test=mark-found]').click();
  await worker.page.locator('[data-test=found-note]').filter({ hasText: '平安送回家' }).waitFor();

  // Closed: no more tips.
  await open(resident.page, path);
  await resident.page.locator('[data-test=found-note]').waitFor();
  assert.equal(await resident.page.locator('[data-test=tip-form]').count(), 0);
  assert.deepEqual(worker.errors, []);
  // The empty tip's 422 was expected (it shows the message above); nothing else.
  assert.deepEqual(resident.errors.filter((e) => !/status of 422/.test(e)), []);
});
