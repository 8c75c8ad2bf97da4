import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedIn, open, checkA11y, WHO } from './helpers.mjs';

// "打电话": the number stays masked on screen; one tap asks the server for it (which
// audits the read) and hands it to the phone's dialler through a tel: link.
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

// A headless browser has no dialler: Chromium says so in the console, which is the
// tap doing its job here, not a fault of the page.
const realErrors = (errors) => errors.filter((e) => !/tel:|scheme does not have a registered handler/.test(e));

test('a resident calls her grid leader with one tap; the number stays masked on screen', async () => {
  const { page, errors, context } = await signedIn(browser, WHO.resident);
  await open(page, '/grids');
  await page.getByRole('link', { name: /新华街02网格/ }).click();
  const leader = page.locator('[data-test=duty-leader]');
  await leader.locator('[data-test=call-leader]').waitFor();
  await checkA11y(page, '/grids/:id (resident)');
  await leader.locator('[data-test=call-leader]').click();
  await page.waitForFunction(() =>
    document.querySelector('[data-test=call-leader]')?.getAttribute('href') === 'tel:13903960051');
  assert.match(await leader.innerText(), /139\*\*\*\*0051/);
  assert.doesNotMatch(await leader.innerText(), /13903960051/);
  assert.deepEqual(realErrors(errors), []);
  await context.close();
});

test('a grid worker calls the reporter of a ticket she handles; the admin sees the read in the audit log', async () => {
  const { page, errors, context } = await signedIn(browser, WHO.gridWorker);
  await open(page, '/tickets');
  await page.locator('[data-test=ticket-line]').first().click();
  await page.waitForURL(/\/tickets\/\d+$/);
  const call = page.locator('[data-test=call-reporter]');
  await call.waitFor();
  await call.click();
  await page.waitForFunction(() =>
    /^tel:\d{11}$/.test(document.querySelector('[data-test=call-reporter]')?.getAttribute('href') ?? ''));
  assert.deepEqual(realErrors(errors), []);
  await context.close();

  const admin = await signedIn(browser, WHO.admin);
  await open(admin.page, '/admin/audit');
  await admin.page.locator('[data-test=audit] td >> text=call.reporter').first().waitFor();
  await admin.context.close();
});
