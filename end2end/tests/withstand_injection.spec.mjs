// Issue 15: what one user writes is shown to others as text, never run; and signing in
// never sends the browser off the site. (Named to run last: it renames a grid and puts
// it back, and leaves a closed lost-person notice.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, open, signedIn as signedInWith, WHO, BASE, DEMO_PASSWORD } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const signedIn = (who) => signedInWith(browser, who);
// Would set window.__x if it ever ran as HTML.
const payload = (n) => `<img src=x onerror="window.__x=${n}">`;

/** Tooltips that Leaflet drew: their text, and how many elements a label's markup made
 * inside (the label itself is one <span> whose text is set). */
async function tooltips(page) {
  return page.evaluate(() => [...document.querySelectorAll('.leaflet-tooltip')].map((t) => ({
    text: t.textContent,
    elements: t.querySelectorAll('img, script, svg, iframe, span span').length,
  })));
}

test('a grid named with markup shows the markup as text on the map', async () => {
  const { page, errors, context } = await signedIn(WHO.admin);
  const original = await (await page.request.get(`${BASE}/grids.geojson`)).text();
  const fc = JSON.parse(original);
  const grid = fc.features.find((f) => f.properties.code === 'LJ-XHJ-03');
  grid.properties.name = payload(1);
  const put = async (text) => {
    const r = await page.request.post(`${BASE}/api/grid/import`, { form: { geojson: text } });
    assert.equal(r.status(), 200, await r.text());
  };
  await put(JSON.stringify(fc));
  try {
    await open(page, '/map');
    // Attached, not necessarily shown: a long label that would overlap another is hidden.
    const label = page.locator('.leaflet-tooltip.grid-label', { hasText: '<img src=x' });
    await label.waitFor({ state: 'attached' });
    const tips = await tooltips(page);
    assert.ok(tips.some((t) => t.text.includes('onerror')), JSON.stringify(tips));
    assert.deepEqual(tips.filter((t) => t.elements > 0), [], 'no tooltip holds markup');
    assert.equal(await page.evaluate(() => window.__x), undefined);
    // The list view escapes it too (Leptos's own text).
    assert.equal(await page.locator('img[src=x]').count(), 0);
  } finally {
    await put(original);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a tip written as markup shows as text to the staff on the tips map', async () => {
  const worker = await signedIn(WHO.gridWorker);
  const posted = await worker.page.request.post(`${BASE}/api/missing`, {
    multipart: {
      name: '测试老人', age: '80', description: '穿灰色外套', last_seen_place: '人民路',
      lat: '33.588', lng: '114.028',
    },
  });
  assert.equal(posted.status(), 201, await posted.text());
  const { id } = await posted.json();
  const resident = await signedIn(WHO.resident);
  const tip = await resident.page.request.post(`${BASE}/api/missing/${id}/tips`, {
    multipart: { text: payload(2), lat: '33.5885', lng: '114.0285' },
  });
  assert.equal(tip.status(), 201, await tip.text());

  await open(worker.page, `/missing/${id}`);
  const dot = worker.page.locator('[data-test=tips] path.spot').first();
  await dot.waitFor({ state: 'attached' });
  // Hovering a dot opens its tooltip, as it does under a finger or a mouse.
  await worker.page.evaluate(() => {
    for (const p of document.querySelectorAll('[data-test=tips] path.spot')) {
      p.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    }
  });
  await worker.page.locator('.leaflet-tooltip', { hasText: 'onerror' }).waitFor();
  const tips = await tooltips(worker.page);
  assert.deepEqual(tips.filter((t) => t.elements > 0), [], JSON.stringify(tips));
  assert.equal(await worker.page.evaluate(() => window.__x), undefined);
  // The tip list shows it as text as well.
  await worker.page.locator('[data-test=tip]', { hasText: '<img src=x' }).waitFor();
  await worker.page.locator('[data-test=found-note-input]').fill('测试结束');
  await worker.page.locator('[data-test=mark-found]').click();
  await worker.page.locator('[data-test=found-note]').waitFor();
  assert.deepEqual(worker.errors, []);
  await worker.context.close();
  await resident.context.close();
});

test('signing in with a next= that points off the site stays on the site', async () => {
  for (const next of ['/\\evil.example/', '/\t/evil.example/', '//evil.example/', 'https://evil.example/']) {
    const { page, context } = await phone(browser);
    await open(page, `/login?next=${encodeURIComponent(next)}`);
    await page.getByLabel(/手机号|Phone/).fill(WHO.resident);
    await page.getByLabel(/^(密码|Password)/).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
    await page.locator('[data-test=welcome]').waitFor();
    assert.equal(new URL(page.url()).origin, new URL(BASE).origin, next);
    assert.equal(new URL(page.url()).pathname, '/', next);
    await context.close();
  }
  // A next= on the site still works.
  const { page, context } = await phone(browser);
  await open(page, '/login?next=%2Fshifts');
  await page.getByLabel(/手机号|Phone/).fill(WHO.resident);
  await page.getByLabel(/^(密码|Password)/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.waitForURL(/\/shifts$/);
  await context.close();
});
