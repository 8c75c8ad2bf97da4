// Bytes a phone transfers on its first visit to a page (empty cache, brotli), counted
// by Chromium itself: body bytes as sent on the wire plus response headers.
// Usage: node bench/first_load.mjs /  (BASE_URL as for the tests)
import { launch, phone, open } from '../tests/helpers.mjs';

const path = process.argv[2] ?? '/';
const browser = await launch();
const { page, context } = await phone(browser);
const rows = [];
page.on('requestfinished', async (req) => {
  const s = await req.sizes();
  const res = await req.response();
  rows.push({
    url: req.url().replace(/^https?:\/\/[^/]+/, ''),
    enc: (await res?.headerValue('content-encoding')) ?? '',
    bytes: s.responseBodySize + s.responseHeadersSize,
  });
});
await open(page, path);
await page.waitForLoadState('networkidle');
await context.close();
await browser.close();
const total = rows.reduce((a, r) => a + r.bytes, 0);
for (const r of rows.sort((a, b) => b.bytes - a.bytes)) {
  console.log(`${String(r.bytes).padStart(9)}  ${r.enc.padEnd(3)}  ${r.url}`);
}
console.log(`first-load ${path}: ${total} bytes (${(total / 1024).toFixed(1)} KiB) in ${rows.length} requests`);
console.log(`budget ratio: ${(total / (250 * 1024)).toFixed(3)} of 250 KiB`);
