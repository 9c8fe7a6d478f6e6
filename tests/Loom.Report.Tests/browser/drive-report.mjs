// Opens a Loom report in Debian's headless Chromium and prints what it saw as one JSON object; the C# test
// (BrowserTests.cs) asserts on it. Usage: node drive-report.mjs REPORT.html SCREENSHOT.png DOWNLOADS_DIR
import { chromium } from 'playwright-core';
import path from 'node:path';

const [file, screenshot, downloads] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const out = { errors: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page.on('console', m => { if (m.type() === 'error') out.errors.push(m.text()); });
  page.on('pageerror', e => out.errors.push(String(e)));
  await page.goto('file://' + path.resolve(file));
  await page.waitForFunction(() => window.loomReport !== undefined);

  const chart = 'valid.accuracy';
  out.xps = await page.evaluate(() => window.loomReport.data().xps.length);
  out.curveCharts = await page.locator('.curve').count();
  out.seriesWithPoints = await page.evaluate(m =>
    window.loomReport.curves[m].getOption().series.filter(s => s.data.length > 0).length, chart);

  // Hover: the tooltip lists the XPs' values at the hovered epoch.
  await page.locator(`.curve[data-metric="${chart}"]`).hover({ position: { x: 200, y: 150 } });
  await page.waitForTimeout(300);
  out.tooltip = await page.evaluate(m => [...document.querySelectorAll(`.curve[data-metric="${m}"] div`)]
    .filter(d => d.style.display !== 'none' && getComputedStyle(d).position === 'absolute' && d.textContent.includes(' · '))
    .map(d => d.textContent)[0] || null, chart);

  // Legend: clicking an XP hides its series (ECharts' legend state) and changes the pixels drawn.
  const canvas = () => page.evaluate(m => window.loomReport.curves[m].getDataURL(), chart);
  const before = await canvas();
  const item = page.locator('.legend-item').first();
  const sig = await item.getAttribute('data-sig');
  await item.click();
  out.hiddenAfterClick = await page.evaluate(([m, s]) => {
    const xp = window.loomReport.data().xps.find(x => x.sig === s);
    const name = (xp.name || '(default)') + ' · ' + xp.sig;
    return window.loomReport.curves[m].getOption().legend[0].selected[name] === false;
  }, [chart, sig]);
  out.pixelsChangedAfterClick = (await canvas()) !== before;
  await item.click(); // show it again for the screenshot

  // Brush: drag with the mouse along the axis of the final test accuracy, over its upper half.
  const rows = () => page.locator('#selected tbody tr').count();
  out.rowsBefore = await rows();
  await page.locator('#parallel').scrollIntoViewIfNeeded();
  const box = await page.locator('#parallel').boundingBox();
  const geometry = await page.evaluate(() => {
    const p = window.loomReport.parallel();
    const o = p.getOption();
    const names = o.parallelAxis.map(a => a.name);
    return { names, left: o.parallel[0].left, right: o.parallel[0].right, top: o.parallel[0].top, bottom: o.parallel[0].bottom };
  });
  const axis = geometry.names.indexOf('test.accuracy');
  out.brushedAxis = axis;
  const width = box.width - geometry.left - geometry.right; // the axes are spread evenly over the parallel's box
  const x = box.x + geometry.left + axis * width / (geometry.names.length - 1);
  const top = box.y + geometry.top, bottom = box.y + box.height - geometry.bottom;
  await page.mouse.move(x, top + 4);
  await page.mouse.down();
  await page.mouse.move(x, (top + bottom) / 2, { steps: 8 });
  await page.mouse.up();
  await page.waitForTimeout(200);
  out.rowsAfterBrush = await rows();
  out.countText = await page.locator('#selection-count').textContent();
  out.csvLines = (await page.evaluate(() => window.loomReport.csv())).trim().split('\n').length;

  // Exports: the figure as PNG and the selected rows as CSV, through the page's own buttons.
  for (const [button, name] of [['#export-png', 'parallel.png'], ['#export-csv', 'xps.csv']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    await download.saveAs(path.join(downloads, name));
  }

  // Log scale redraws the curves without an error.
  await page.check('#log-scale');
  out.logAxis = await page.evaluate(m => window.loomReport.curves[m].getOption().yAxis[0].type, chart);
  await page.uncheck('#log-scale');

  await page.screenshot({ path: screenshot, fullPage: true });
} catch (e) {
  out.errors.push('driver: ' + (e && e.stack || e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
