// Opens `loom serve`'s page in Debian's headless Chromium, prints "ready" once the curves are drawn, then
// waits (up to 30 s) for the server to announce a new epoch and the page to draw it without reloading,
// keeping a brush drawn before.
// Prints what it saw as one JSON line. Usage: node drive-live.mjs URL
import { chromium } from 'playwright-core';

const [url] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const out = { errors: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', m => { if (m.type() === 'error') out.errors.push(m.text()); });
  page.on('pageerror', e => out.errors.push(String(e)));
  let loads = 0;
  page.on('load', () => loads++);
  await page.goto(url);
  await page.waitForFunction(() => window.loomReport !== undefined);
  const points = () => page.evaluate(() => window.loomReport.curves['test.accuracy'].getOption().series[0].data.length);
  out.pointsBefore = await points();
  await page.evaluate(() => { window.notReloaded = true; });
  // A brush over the upper half of the final test accuracy axis, which a live update must keep.
  await page.locator('#parallel').scrollIntoViewIfNeeded();
  const box = await page.locator('#parallel').boundingBox();
  const o = await page.evaluate(() => { const p = window.loomReport.parallel().getOption(); return { names: p.parallelAxis.map(a => a.name), g: p.parallel[0] }; });
  const x = box.x + o.g.left + o.names.indexOf('test.accuracy') * (box.width - o.g.left - o.g.right) / (o.names.length - 1);
  await page.mouse.move(x, box.y + o.g.top + 4);
  await page.mouse.down();
  await page.mouse.move(x, box.y + (o.g.top + box.height - o.g.bottom) / 2, { steps: 8 });
  await page.mouse.up();
  const rows = () => page.locator('#selected tbody tr').count();
  out.rowsBrushed = await rows();
  console.log('ready');
  await page.waitForFunction(n => window.loomReport.curves['test.accuracy'].getOption().series[0].data.length > n,
    out.pointsBefore, { timeout: 30000 });
  out.pointsAfter = await points();
  out.rowsAfterUpdate = await rows();
  out.notReloaded = await page.evaluate(() => window.notReloaded === true);
  out.loads = loads;
  out.summary = await page.locator('#summary').textContent();
} catch (e) {
  out.errors.push('driver: ' + (e && e.stack || e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
