import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, open, logIn, checkA11y, overlappingLabels, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('the map shows every grid without tiles; tapping one shows its community and staff', async () => {
  const { page, errors, context } = await phone(browser);
  await open(page, '/map');
  await page.locator('path.grid-poly').first().waitFor();
  assert.equal(await page.locator('path.grid-poly').count(), 12);
  await page.locator('[data-test=no-tiles]').waitFor();
  await checkA11y(page, '/map');
  await page.locator('.leaflet-tooltip', { hasText: '新华街02网格' }).waitFor({ state: 'attached' });
  // At the default zoom on a phone, no two grid names overlap; zoomed in, more show.
  assert.deepEqual(await overlappingLabels(page), [], 'labels at the default zoom');
  const visible = () => page.evaluate(() => [...document.querySelectorAll('.leaflet-tooltip.grid-label')]
    .filter((el) => getComputedStyle(el).visibility !== 'hidden').length);
  assert.ok(await visible() >= 1, 'some grid names show');
  await page.locator('.leaflet-control-zoom-in').click();
  await page.waitForTimeout(600);
  assert.deepEqual(await overlappingLabels(page), [], 'labels after zooming in');
  await page.locator('.leaflet-control-zoom-out').click();
  await page.waitForTimeout(600);
  // Tap inside 新华街02, above its centre (where reported tickets may sit as dots).
  const box = await page.locator('path.grid-LJ-XHJ-02').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 5);
  const panel = page.locator('[data-test=grid-panel]');
  await panel.waitFor();
  assert.match(await panel.locator('[data-test=grid-path]').innerText(), /新华街社区/);
  assert.equal(await panel.locator('[data-test=staff] li').count(), 5);
  assert.match(await panel.locator('[data-test=duty-leader]').innerText(), /网格长[\s\S]*潘月丽[\s\S]*139\*\*\*\*0051/);
  // The list view works too.
  await page.locator('[data-test=show-list]').click();
  await page.locator('[data-test=grid-list] button', { hasText: '滨西01网格' }).click();
  await panel.locator('h2', { hasText: '滨西01网格' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('"which grid am I in" uses the phone position', async () => {
  const { page, errors, context } = await phone(browser, {
    geolocation: { latitude: 33.588, longitude: 114.0066 },
    permissions: ['geolocation'],
  });
  await open(page, '/map');
  await page.locator('[data-test=locate]').click();
  await page.locator('[data-test=located]', { hasText: '老街01网格' }).waitFor();
  await page.locator('[data-test=grid-panel]').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('staff see full phone numbers; the directory lists every community', async () => {
  const { page, errors, context } = await phone(browser);
  await logIn(page, WHO.director);
  await page.locator('[data-test=welcome]').waitFor();
  await open(page, '/grids');
  await checkA11y(page, '/grids');
  assert.equal(await page.locator('section.community').count(), 4);
  await page.getByRole('link', { name: /新华街02网格/ }).click();
  await page.locator('[data-test=duty-leader] a.phone', { hasText: '13903960051' }).waitFor();
  await checkA11y(page, '/grids/:id');
  assert.deepEqual(errors, []);
  await context.close();
});
