// Shared set-up for the end-to-end specs: Debian's Chromium through playwright-core,
// a 360x780 phone, console-error capture, blocked map tiles, and an axe-core check.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:3179';
export const DEMO_PASSWORD = 'tongxin2026';
export const WHO = {
  admin: '13903950000',
  director: '13903950001',
  xhjDirector: '13903950002', // 新华街社区主任
  gridWorker: '13903960051', // 潘月丽, 新华街02 网格长
  property: '13903960054', // 新华街02's property manager
  resident: '13903970001',
  volunteer: '13903970003', // 张秀英, a volunteer living in 新华街02
};

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    // --disable-dev-shm-usage: a container's /dev/shm may be small, and Chromium's renderers
    // then die at start ("Target page, context or browser has been closed").
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
}

/// A fresh phone-sized page. `errors` collects console errors and page crashes,
/// except failed map tiles (there is no tile server here, as in the field at times).
export async function phone(browser, opts = {}) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 780 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    ...opts,
  });
  await context.route(/tile\.openstreetmap\.org|tianditu|autonavi/, (route) => route.abort());
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location()?.url ?? '';
    if (/tile\.openstreetmap\.org|tianditu|autonavi/.test(url + msg.text())) return;
    if (/Failed to load resource/.test(msg.text()) && /tile/.test(url)) return;
    errors.push(msg.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

export async function open(page, path) {
  await page.goto(BASE + path);
  await page.waitForSelector('body[data-hydrated]', { timeout: 20000 });
}

let axe;
function axeSource() {
  axe ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axe;
}

/// No serious or critical accessibility violations on the page as it is now.
export async function checkA11y(page, label) {
  // Evaluated, not added as a <script>: the page's Content-Security-Policy (rightly)
  // refuses inline scripts without its nonce.
  await page.evaluate(axeSource());
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    [],
    `axe on ${label}`,
  );
}

export async function logIn(page, phoneNumber, password = DEMO_PASSWORD) {
  await open(page, '/login');
  await page.getByLabel(/手机号|Phone/).fill(phoneNumber);
  await page.getByLabel(/^(密码|Password)/).fill(password);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
}

/// A time as the shift and meeting forms take it: China-time date and hh:mm.
export function cst(ms) {
  const iso = new Date(ms + 8 * 3600 * 1000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** A phone-sized page signed in as `who`, on the home page. */
export async function signedIn(browser, who) {
  const p = await phone(browser);
  await logIn(p.page, who);
  await p.page.locator('[data-test=welcome]').waitFor();
  return p;
}

/// Pairs of visible map labels whose boxes overlap (none, when labels are decluttered).
export async function overlappingLabels(page) {
  return page.evaluate(() => {
    const boxes = [...document.querySelectorAll('.leaflet-tooltip.grid-label')]
      .filter((el) => getComputedStyle(el).visibility !== 'hidden')
      .map((el) => ({ text: el.textContent, r: el.getBoundingClientRect() }));
    const out = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r, b = boxes[j].r;
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
          out.push(`${boxes[i].text} / ${boxes[j].text}`);
        }
      }
    }
    return out;
  });
}

/// A real JPEG made by the browser's own encoder: a coloured 800×600 frame with a white
/// block, as a file for `setInputFiles`.
export async function photo(page, colour) {
  const b64 = await page.evaluate((c) => {
    const canvas = document.createElement('canvas');
    canvas.width = 800; canvas.height = 600;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = c; ctx.fillRect(0, 0, 800, 600);
    ctx.fillStyle = '#fff'; ctx.fillRect(100, 100, 200, 100);
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
  }, colour);
  return { name: `${colour.slice(1)}.jpg`, mimeType: 'image/jpeg', buffer: Buffer.from(b64, 'base64') };
}

/// Files a report (category `code`) from inside the signed-in page, as its form would (a real JPEG
/// from the browser's encoder); returns the new ticket's id.
export async function fileReport(page, at, description, code = 'facilities') {
  return page.evaluate(async ({ at, description, code }) => {
    const cats = await (await fetch('/api/ticket/categories', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'all=false',
    })).json();
    const cat = cats.find((c) => c.code === code);
    const canvas = document.createElement('canvas');
    canvas.width = 640; canvas.height = 480;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#6d4c41'; ctx.fillRect(0, 0, 640, 480);
    const blob = await new Promise((r) => canvas.toBlob(r, 'image/jpeg', 0.9));
    const fd = new FormData();
    fd.append('category', String(cat.id));
    fd.append('description', description);
    fd.append('lat', String(at.latitude));
    fd.append('lng', String(at.longitude));
    fd.append('idempotency_key', crypto.randomUUID());
    fd.append('photo', blob, 'p.jpg');
    const res = await fetch('/api/tickets', { method: 'POST', body: fd });
    return (await res.json()).id;
  }, { at, description, code });
}
