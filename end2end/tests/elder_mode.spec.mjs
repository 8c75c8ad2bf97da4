import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, open, logIn, checkA11y, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

/// The page's measured type and spacing: body text size, the smallest text in <main>,
/// line height over type size, a paragraph's spacing over its line height, and controls
/// in <main> smaller than 48 px.
async function measure(page) {
  return page.evaluate(() => {
    const px = (v) => parseFloat(v);
    const tagline = document.querySelector('main p.tagline');
    const t = getComputedStyle(tagline);
    const texts = [...document.querySelectorAll('main p, main strong, main li, main a, main button')]
      .filter((e) => e.offsetParent !== null && e.textContent.trim() !== '');
    const small = [...document.querySelectorAll('main a, main button, main summary')]
      .filter((e) => e.offsetParent !== null)
      .map((e) => [e.textContent.trim().slice(0, 20), e.getBoundingClientRect().height])
      .filter(([, h]) => h < 47.5);
    return {
      body: px(getComputedStyle(document.body).fontSize),
      smallest: Math.min(...texts.map((e) => px(getComputedStyle(e).fontSize))),
      lineSpacing: px(t.lineHeight) / px(t.fontSize),
      paragraphSpacing: px(t.marginBottom) / px(t.lineHeight),
      small,
    };
  });
}

/// Whether the page scrolls sideways (anything wider than the screen).
async function sideways(page) {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('main *')]
      .filter((e) => e.getBoundingClientRect().right > w + 1 && getComputedStyle(e).position !== 'fixed')
      .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`);
    return document.documentElement.scrollWidth > w + 1 ? wide.join(', ') || 'page' : '';
  });
}

test('长辈版 on the home page: large type and spacing measured, the few things to do, remembered per device and per account; no sideways scrolling at 200 % text', async () => {
  const { context, page, errors } = await phone(browser);
  await logIn(page, WHO.resident);
  await page.locator('[data-test=welcome]').waitFor();
  const before = await measure(page);
  const sw = page.locator('[data-test=elder-switch]');
  assert.equal(await sw.getAttribute('aria-checked'), 'false');
  await sw.click();
  await page.locator('html.elder').waitFor({ state: 'attached' });
  assert.equal(await sw.getAttribute('aria-checked'), 'true');
  // The simplified home: report, alerts, my reports, events, call my grid worker.
  const home = page.locator('[data-test=elder-home]');
  for (const t of ['elder-report', 'elder-alerts', 'elder-mine', 'elder-events', 'elder-call']) {
    await home.locator(`[data-test=${t}]`).waitFor();
  }
  // 陈桂兰's number is confirmed and she lives in 新华街02: her grid leader is one tap away.
  await home.locator('[data-test=elder-call] [data-test=call-leader]').waitFor();
  const m = await measure(page);
  console.log(`elder mode: body ${before.body} → ${m.body} px, smallest ${m.smallest} px, line ${m.lineSpacing.toFixed(2)}×, paragraph ${m.paragraphSpacing.toFixed(2)}× the line`);
  assert.ok(m.body >= 24, `body text ${m.body} px`);
  assert.ok(m.smallest >= 18, `smallest text ${m.smallest} px`);
  assert.ok(m.lineSpacing >= 1.3, `line spacing ${m.lineSpacing}`);
  assert.ok(m.paragraphSpacing >= 1.3, `paragraph spacing ${m.paragraphSpacing}× the line`);
  assert.deepEqual(m.small, [], 'controls under 48 px');
  await checkA11y(page, 'home in 长辈版');
  // Everything else is one tap further.
  await page.locator('[data-test=all-entries] summary').click();
  await page.locator('[data-test=entry-study]').waitFor();

  // Remembered on this phone: the first paint of a fresh load is already large.
  const response = await page.goto(page.url());
  assert.match(await response.text(), /<html[^>]*class="elder"/);
  await page.waitForSelector('body[data-hydrated]');
  await home.waitFor();

  // And with the account: her other phone (no choice made there) follows it.
  const other = await phone(browser);
  await logIn(other.page, WHO.resident);
  await other.page.locator('[data-test=elder-home]').waitFor();
  assert.equal(await other.page.locator('html').getAttribute('class'), 'elder');
  await other.context.close();

  // 200 % text on the pages an older resident uses: nothing wider than the screen.
  for (const elder of [true, false]) {
    await open(page, '/');
    if ((await sw.getAttribute('aria-checked')) !== String(elder)) {
      await sw.click();
      await page.waitForFunction((e) => document.documentElement.classList.contains('elder') === e, elder);
    }
    for (const path of ['/', '/report', '/tickets', '/alerts', '/events', '/shifts', '/missing', '/grids', '/council', '/me', '/feedback']) {
      await open(page, path);
      // 200 % of the mode's own text size (18 px normally, 24 px in 长辈版).
      await page.evaluate(() => {
        document.documentElement.style.fontSize = document.documentElement.classList.contains('elder') ? '48px' : '36px';
      });
      assert.equal(await sideways(page), '', `${path} at 200 % (${elder ? '长辈版' : 'normal'}) scrolls sideways`);
    }
  }
  // Switched off, it stays off.
  await open(page, '/');
  assert.equal(await page.locator('html').getAttribute('class'), '');
  await page.reload();
  await page.waitForSelector('body[data-hydrated]');
  assert.equal(await sw.getAttribute('aria-checked'), 'false');
  assert.deepEqual(errors, []);
  await context.close();
});

/// A phone whose speech synthesis is watched: what it was asked to say is kept in
/// `window.__spoken`; its voices are `voices`.
async function listeningPhone(voices) {
  const p = await phone(browser);
  await p.context.addInitScript((v) => {
    window.__spoken = [];
    const s = window.speechSynthesis;
    Object.defineProperty(s, 'getVoices', { value: () => v.map((lang) => ({ lang, name: lang, voiceURI: lang })) });
    Object.defineProperty(s, 'speak', { value: (u) => window.__spoken.push({ text: u.text, lang: u.lang }) });
    Object.defineProperty(s, 'cancel', { value: () => {} });
  }, voices);
  return p;
}

test('读给我听 reads an alert aloud in Chinese, and says so when the phone has no Chinese voice', async () => {
  const director = await listeningPhone(['en-US', 'zh-CN']);
  await logIn(director.page, WHO.xhjDirector);
  await director.page.locator('[data-test=welcome]').waitFor();
  await open(director.page, '/alerts/new');
  await director.page.locator('[data-test=target-LJ-XHJ-03]').waitFor();
  await director.page.locator('[data-test=alert-title-input]').fill('停水通知');
  await director.page.locator('[data-test=alert-body-input]').fill('明天上午八点到十二点新华街03网格停水，请提前储水。');
  await director.page.locator('[data-test=alert-severity]').selectOption('Minor');
  await director.page.locator('[data-test=target-LJ-XHJ-03]').check();
  await director.page.locator('[data-test=alert-preview]').click();
  await director.page.locator('[data-test=alert-audience]').waitFor();
  await director.page.locator('[data-test=alert-publish]').click();
  await director.page.waitForURL(/\/alerts\/\d+\/coverage$/);
  const page = director.page.url().replace(/\/coverage$/, '').replace(/^https?:\/\/[^/]+/, '');
  await open(director.page, page);
  await director.page.locator('[data-test=read-aloud]').click();
  const spoken = await director.page.evaluate(() => window.__spoken);
  assert.deepEqual(spoken, [{ text: '停水通知。明天上午八点到十二点新华街03网格停水，请提前储水。', lang: 'zh-CN' }]);
  await director.page.locator('[data-test=read-aloud][aria-pressed=true]').waitFor();
  assert.equal(await director.page.locator('[data-test=read-aloud-note]').count(), 0);
  await checkA11y(director.page, 'alert being read aloud');
  // A second tap stops it.
  await director.page.locator('[data-test=read-aloud]').click();
  await director.page.locator('[data-test=read-aloud][aria-pressed=false]').waitFor();
  assert.deepEqual(director.errors, []);

  // A phone with voices, none of them Chinese: it says so, in words.
  const english = await listeningPhone(['en-US']);
  await logIn(english.page, WHO.xhjDirector);
  await english.page.locator('[data-test=welcome]').waitFor();
  await open(english.page, page);
  await english.page.locator('[data-test=read-aloud]').click();
  await english.page.locator('[data-test=read-aloud-note]').filter({ hasText: '没有中文语音' }).waitFor();
  await director.context.close();
  await english.context.close();
});
