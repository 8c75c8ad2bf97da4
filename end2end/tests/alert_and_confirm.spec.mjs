import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, open, logIn, checkA11y, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('a director publishes; the resident\'s open page shows the banner within a second; she confirms; coverage counts it', async () => {
  // 陈桂兰 has the app open on her home page.
  const resident = await phone(browser);
  await logIn(resident.page, WHO.resident);
  await resident.page.locator('[data-test=welcome]').waitFor();

  const director = await phone(browser);
  await logIn(director.page, WHO.xhjDirector);
  await director.page.locator('[data-test=welcome]').waitFor();
  await open(director.page, '/alerts/new');
  await director.page.locator('[data-test=target-LJ-XHJ-02]').waitFor();
  // Only her own community and its grids are offered.
  const offered = await director.page.locator('[data-test^=target-]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-test')));
  assert.deepEqual(offered.filter((t) => !t.startsWith('target-LJ-XHJ')), [], `targets offered: ${offered}`);
  await checkA11y(director.page, '/alerts/new');
  // A bad alert is refused before anything is sent.
  await director.page.locator('[data-test=alert-title-input]').fill('暴雪预警');
  await director.page.locator('[data-test=alert-body-input]').fill('   ');
  await director.page.locator('[data-test=alert-preview]').click();
  await director.page.getByRole('alert').filter({ hasText: '请填写预警内容' }).waitFor();
  await director.page.locator('[data-test=alert-body-input]').fill('今夜至明晨有暴雪，请减少外出，关好门窗；独居老人请保持电话畅通。');
  await director.page.locator('[data-test=alert-severity]').selectOption('Severe');
  await director.page.locator('[data-test=target-LJ-XHJ-02]').check();
  await director.page.locator('[data-test=alert-preview]').click();
  await director.page.locator('[data-test=alert-preview-box]').filter({ hasText: '暴雪预警' }).waitFor();
  // The preview says whom it will reach: the grid and its community, its 62 registered
  // residents, and the pages open now (陈桂兰's, who lives there; the director's own,
  // with no home grid, is among those that show every alert).
  const reach = director.page.locator('[data-test=alert-audience]');
  await reach.waitFor();
  const row = reach.locator('tbody tr').first();
  assert.match(await row.textContent(), /新华街社区/);
  assert.equal(await reach.locator('[data-test=audience-total] [data-col=residents]').textContent(), '62');
  assert.ok(Number(await reach.locator('[data-test=audience-total] [data-col=pages]').textContent()) >= 1);
  assert.match(await reach.locator('[data-test=audience-summary]').textContent(), /登记居民 62 人，此刻打开的页面 \d+ 个/);
  await reach.locator('[data-test=audience-anywhere]').waitFor();
  await checkA11y(director.page, 'alert preview');
  await director.page.locator('[data-test=lang-switch]').click();
  await reach.locator('[data-test=audience-summary]').filter({ hasText: '62 registered residents' }).waitFor();
  await checkA11y(director.page, 'alert preview in English');
  await director.page.locator('[data-test=lang-switch]').click();
  await reach.locator('[data-test=audience-summary]').filter({ hasText: '登记居民' }).waitFor();

  const sent = Date.now();
  await director.page.locator('[data-test=alert-publish]').click();
  const banner = resident.page.locator('[data-test=alert-banner]');
  await banner.filter({ hasText: '暴雪预警' }).waitFor({ timeout: 5000 });
  const elapsed = Date.now() - sent;
  console.log(`banner shown ${elapsed} ms after publishing was clicked`);
  assert.ok(elapsed <= 1000, `banner took ${elapsed} ms`);
  await checkA11y(resident.page, 'home page with the alert banner');
  // The answer buttons stay inside the card, each label on one line, in both languages,
  // at normal text size and at 200 %.
  for (const [lang, size] of [['zh', '100%'], ['zh', '200%'], ['en', '100%'], ['en', '200%']]) {
    if (lang !== (await resident.page.locator('html').getAttribute('lang')).slice(0, 2)) {
      const was = await resident.page.locator('html').getAttribute('lang');
      await resident.page.locator('[data-test=lang-switch]').click();
      await resident.page.waitForFunction((b) => document.documentElement.lang !== b, was);
    }
    await resident.page.evaluate((s) => { document.documentElement.style.fontSize = s; }, size);
    const bad = await banner.evaluate((card) => {
      const box = card.getBoundingClientRect();
      return [...card.querySelectorAll('.answers button')].flatMap((b) => {
        const r = b.getBoundingClientRect();
        const lineHeight = parseFloat(getComputedStyle(b).lineHeight) || parseFloat(getComputedStyle(b).fontSize) * 1.3;
        const text = document.createRange();
        text.selectNodeContents(b);
        const lines = new Set([...text.getClientRects()].map((q) => Math.round(q.top))).size;
        const out = [];
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(`${b.textContent} outside the card`);
        if (b.scrollWidth > b.clientWidth + 1) out.push(`${b.textContent} clipped`);
        if (lines > 1) out.push(`${b.textContent} broken over ${lines} lines (line ${lineHeight})`);
        return out;
      });
    });
    assert.deepEqual(bad, [], `banner buttons, ${lang} at ${size}`);
  }
  await resident.page.evaluate(() => { document.documentElement.style.fontSize = ''; });
  if ((await resident.page.locator('html').getAttribute('lang')).startsWith('en')) {
    await resident.page.locator('[data-test=lang-switch]').click();
    await resident.page.waitForFunction(() => document.documentElement.lang.startsWith('zh'));
  }
  await resident.page.locator('[data-test=answer-safe]').click();
  await banner.waitFor({ state: 'detached' });

  // The director lands on live coverage; the confirmation shows up there.
  await director.page.waitForURL(/\/alerts\/\d+\/coverage$/);
  const confirmed = director.page.locator('[data-test=coverage-total] [data-col=confirmed]');
  await confirmed.filter({ hasText: /^1$/ }).waitFor({ timeout: 10000 });
  const delivered = await director.page.locator('[data-test=coverage-total] [data-col=delivered]').textContent();
  assert.ok(Number(delivered) >= 1);
  assert.equal(await director.page.locator('[data-test=coverage-total] [data-col=targeted]').textContent(), '62');
  await director.page.locator('[data-test=follow-up-closed]').waitFor();
  await checkA11y(director.page, 'coverage');

  // Her inbox remembers the answer.
  await open(resident.page, '/alerts');
  await resident.page.locator('[data-test=alert-list]').filter({ hasText: '我安全' }).waitFor();
  assert.deepEqual(resident.errors, []);
  assert.deepEqual(director.errors, []);
});

test('a grid worker finds a resident in the registry and shows her number (audited)', async () => {
  const worker = await phone(browser);
  await logIn(worker.page, WHO.gridWorker);
  await worker.page.locator('[data-test=welcome]').waitFor();
  await open(worker.page, '/residents');
  await worker.page.locator('[data-test=resident-total]').filter({ hasText: '62' }).waitFor();
  await checkA11y(worker.page, '/residents');
  const chen = worker.page.locator('[data-test=resident][data-name=陈桂兰]');
  assert.equal(await chen.locator('[data-test=masked]').textContent(), '139****0001');
  await chen.locator('[data-test=reveal]').click();
  await chen.locator('[data-test=contact]').filter({ hasText: '13903970001' }).waitFor();

  const admin = await phone(browser);
  await logIn(admin.page, WHO.admin);
  await admin.page.locator('[data-test=welcome]').waitFor();
  await open(admin.page, '/admin/audit');
  await admin.page.locator('[data-test=audit]').filter({ hasText: '潘月丽' }).waitFor();
  await checkA11y(admin.page, '/admin/audit');
  assert.deepEqual(worker.errors, []);
  assert.deepEqual(admin.errors, []);
});
