import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedIn, open, checkA11y, WHO } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('a grid worker sees her own month with the arithmetic behind each dimension; the director sees her staff', async () => {
  const worker = await signedIn(browser, WHO.gridWorker);
  await worker.page.locator('[data-test=entry-assessment]').click();
  await worker.page.waitForURL(/\/assessment$/);
  const card = worker.page.locator('[data-test=worker-month]');
  await card.waitFor();
  assert.equal(await card.count(), 1, 'a worker sees only her own month');
  assert.equal(await card.getAttribute('data-worker'), '潘月丽');
  assert.match(await card.locator('[data-test=total]').innerText(), /分 · 等级 [ABCD]/);
  // Each dimension shows how it was reached.
  const handling = card.locator('[data-test=dimension][data-dimension=Handling] [data-test=arithmetic]');
  assert.match(await handling.innerText(), /^40( − \d+×\d+)* = \d+$/);
  await checkA11y(worker.page, '/assessment (worker)');

  const director = await signedIn(browser, WHO.xhjDirector);
  await open(director.page, '/assessment');
  await director.page.locator('[data-test=worker-month][data-worker=潘月丽]').waitFor();
  await checkA11y(director.page, '/assessment (director)');

  assert.deepEqual(worker.errors, []);
  assert.deepEqual(director.errors, []);
  await worker.context.close();
  await director.context.close();
});
