import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, open, logIn, checkA11y, photo, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

// The middle of 新华街02, 潘月丽's grid.
const XHJ02 = { latitude: 33.588, longitude: 114.028 };

/// The street's fixed tickets this month, as /stats shows them ("87.5 % 7 / 8 件").
async function fixedThisMonth(page) {
  await open(page, '/stats');
  const text = await page.locator('[data-test=figures]').first().locator('[data-test=fixed]').innerText();
  return Number(/(\d+) \/ \d+/.exec(text)[1]);
}

async function step(page, action, { note, photoColour } = {}) {
  await page.locator(`[data-test=act-${action}]`).click();
  if (note) await page.locator('[data-test=note]').fill(note);
  if (photoColour) {
    await page.locator('[data-test=step-form] [data-test=photo-input]').setInputFiles(await photo(page, photoColour));
    await page.locator('[data-test=step-form] [data-test=picked] img').waitFor();
  }
  await page.locator('[data-test=step-submit]').click();
  await page.locator('[data-test=step-form]').waitFor({ state: 'detached' });
}

test('a resident reports with a photo; the property manager resolves; the 网格长 sends it back once, then passes it; the resident rates it in one tap', async () => {
  const resident = await phone(browser, { geolocation: XHJ02, permissions: ['geolocation'] });
  await logIn(resident.page, WHO.resident);
  await resident.page.locator('[data-test=welcome]').waitFor();
  const fixedBefore = await fixedThisMonth(resident.page);
  await open(resident.page, '/report');
  await resident.page.locator('[data-test=category] option', { hasText: '设施损坏' }).waitFor({ state: 'attached' });
  await checkA11y(resident.page, '/report');
  await resident.page.locator('[data-test=category]').selectOption({ label: '设施损坏（路灯、水管、井盖）' });
  await resident.page.locator('[data-test=description]').fill('公安街背街小巷路灯不亮，晚上黑咕隆咚的');
  // Without a place, the form asks for one in plain words.
  await resident.page.locator('[data-test=submit]').click();
  await resident.page.getByRole('alert').filter({ hasText: '请选择位置' }).waitFor();
  // The place line says it is finding the grid, never a wrong one, until the answer is in.
  await resident.page.evaluate(() => {
    const el = document.querySelector('[data-test=place]');
    window.placeSeen = [];
    new MutationObserver(() => window.placeSeen.push(el.textContent))
      .observe(el, { subtree: true, childList: true, characterData: true });
  });
  await resident.page.locator('[data-test=use-gps]').click();
  await resident.page.locator('[data-test=place]').filter({ hasText: '新华街02' }).waitFor();
  const placeSeen = await resident.page.evaluate(() => window.placeSeen);
  assert.ok(placeSeen.every((t) => !t.includes('不在网格内')), `place line: ${JSON.stringify(placeSeen)}`);
  await resident.page.locator('[data-test=photo-input]').setInputFiles(await photo(resident.page, '#c62828'));
  await resident.page.locator('[data-test=picked] img').waitFor();
  await resident.page.locator('[data-test=submit]').click();
  await resident.page.waitForURL(/\/tickets\/\d+$/);
  const url = resident.page.url();
  await resident.page.locator('[data-test=status][data-status=pending]').first().waitFor();
  assert.equal(await resident.page.locator('[data-test=ticket] [data-test=photos] img').count(), 1);
  await checkA11y(resident.page, 'ticket page (reporter)');

  // The grid worker finds it at the top of her queue.
  const worker = await phone(browser);
  await logIn(worker.page, WHO.gridWorker);
  await worker.page.locator('[data-test=welcome]').waitFor();
  await open(worker.page, '/tickets');
  const id = url.split('/').pop();
  const line = worker.page.locator(`[data-test=ticket-line][data-id="${id}"]`);
  await line.waitFor();
  // A facilities report is the property manager's: her card names him, not "mine".
  const owner = line.locator('[data-test=ticket-owner]');
  assert.match(await owner.innerText(), /负责人：\S+/);
  assert.equal(await owner.getAttribute('data-mine'), 'false');
  await checkA11y(worker.page, '/tickets (queue)');
  await line.click();
  await worker.page.waitForURL(url);

  // The property manager handles it.
  const handler = await phone(browser);
  await logIn(handler.page, WHO.property);
  await handler.page.locator('[data-test=welcome]').waitFor();
  await open(handler.page, url.replace(/^https?:\/\/[^/]+/, ''));
  await handler.page.locator('[data-test=act-accept]').waitFor();
  await step(handler.page, 'accept');
  await handler.page.locator('[data-test=ticket] [data-status=accepted]').waitFor();
  await step(handler.page, 'start');
  // Resolving without the after photo is refused with a clear message.
  await handler.page.locator('[data-test=act-resolve]').click();
  await handler.page.locator('[data-test=step-submit]').click();
  await handler.page.getByRole('alert').filter({ hasText: '办结需要上传处理后的照片' }).waitFor();
  await handler.page.locator('[data-test=act-resolve]').click();
  await step(handler.page, 'resolve', { note: '更换了老化的电路，路灯已亮', photoColour: '#2e7d32' });
  // A problem's fix is checked by the 网格长, never by the one who fixed it.
  await handler.page.locator('[data-test=ticket] [data-status=checking]').waitFor();
  assert.equal(await handler.page.locator('[data-test=act-pass_check]').count(), 0);

  // 潘月丽 sees before and after side by side and sends it back once, with a reason.
  await worker.page.locator('[data-test=ticket] [data-status=checking]').waitFor({ timeout: 15000 });
  await worker.page.locator('[data-test=check-before] img').waitFor();
  await worker.page.locator('[data-test=check-after] img').waitFor();
  const [before, after] = await Promise.all(['before', 'after'].map((w) =>
    worker.page.locator(`[data-test=check-${w}]`).boundingBox()));
  assert.ok(Math.abs(before.y - after.y) < 2 && after.x > before.x, 'before and after side by side at 360 px');
  await worker.page.locator('[data-test=check-due]').waitFor();
  await checkA11y(worker.page, 'ticket page (check)');
  await step(worker.page, 'fail_check', { note: '东侧两盏仍不亮' });
  await worker.page.locator('[data-test=ticket] [data-status=in_progress]').waitFor();
  await worker.page.locator('[data-test=rework]').filter({ hasText: '返工 1 次' }).waitFor();
  await handler.page.locator('[data-test=ticket] [data-status=in_progress]').waitFor({ timeout: 15000 });
  await step(handler.page, 'resolve', { note: '东侧两盏也已更换', photoColour: '#1b5e20' });
  await worker.page.locator('[data-test=ticket] [data-status=checking]').waitFor({ timeout: 15000 });
  await step(worker.page, 'pass_check');
  await worker.page.locator('[data-test=ticket] [data-status=resolved]').waitFor();

  // The resident's page updates by itself (server-sent events) and asks her to rate it:
  // a comment if she likes, then one tap.
  await resident.page.locator('[data-test=ticket] [data-status=resolved]').waitFor({ timeout: 15000 });
  await resident.page.locator('[data-test=rate]').waitFor();
  await resident.page.locator('[data-test=rate-until]').waitFor();
  await checkA11y(resident.page, 'ticket page (rating)');
  await resident.page.locator('[data-test=rate-note]').fill('修得快，谢谢');
  await resident.page.locator('[data-test=rate-satisfied]').click();
  await resident.page.locator('[data-test=ticket] [data-status=closed]').waitFor();
  await resident.page.locator('[data-test=rating][data-rating=satisfied]').waitFor();
  assert.equal(await resident.page.locator('[data-test=rate]').count(), 0);
  await resident.page.locator('[data-test=timeline] [data-test=rated]').filter({ hasText: '满意' }).waitFor();
  assert.equal(await resident.page.locator('[data-test=timeline] > li').count(), 8);
  await resident.page.locator('[data-test=timeline] [data-test=photos] button').first().click();
  await resident.page.locator('[data-test=lightbox] img').waitFor();
  // The public figures move: one more fix, checked and rated.
  assert.equal(await fixedThisMonth(resident.page), fixedBefore + 1);

  // The map shows it as a dot; tapping the dot opens the ticket.
  await open(resident.page, '/map');
  const dot = resident.page.locator(`path.ticket-${url.split('/').pop()}`);
  await dot.waitFor();
  await checkA11y(resident.page, '/map with tickets');
  await dot.click({ force: true });
  await resident.page.waitForURL(url);

  const ignorable = (e) => /status of 422/.test(e);
  assert.deepEqual(resident.errors.filter((e) => !ignorable(e)), []);
  assert.deepEqual(worker.errors.filter((e) => !ignorable(e)), []);
  assert.deepEqual(handler.errors.filter((e) => !ignorable(e)), []);
  await resident.context.close();
  await worker.context.close();
  await handler.context.close();
});
