// Opens the report of a search in Debian's headless Chromium and prints what its search views drew as one JSON
// object; the C# test (BrowserTests.cs) asserts on it. Usage: node drive-search.mjs REPORT.html SCREENSHOT.png
import path from 'node:path';
import { drive, tooltipText } from './session.mjs';

const [file, screenshot] = process.argv.slice(2);
await drive('file://' + path.resolve(file), async (page, out) => {
  out.sectionVisible = await page.locator('#search-section').isVisible();
  out.summary = await page.locator('#search-summary').textContent();
  out.bestCharts = await page.locator('#search-best .curve').count();
  out.marginalCharts = await page.locator('#marginals .curve').count();
  out.charts = await page.evaluate(() => {
    const r = {};
    for (const [id, chart] of Object.entries(window.loomReport.search)) {
      const o = chart.getOption();
      r[id] = { x: o.xAxis[0].type, xName: o.xAxis[0].name, series: o.series.map(s => s.data.map(d => Array.isArray(d) ? d : d.value)) };
    }
    return r;
  });
  out.parallelLines = await page.evaluate(() => window.loomReport.parallel().getOption().series[0].data.length);
  // Each chart drew something: its canvas holds more than the background.
  out.drawn = await page.evaluate(() => Object.fromEntries(Object.entries(window.loomReport.search)
    .map(([id, c]) => [id, c.getDataURL({ type: 'png' }).length])));
  // Hover a point of the lr marginal: the tooltip names the trial.
  const lr = page.locator('#marginals .curve[data-chart="marginal:optim.lr"]');
  await lr.scrollIntoViewIfNeeded();
  const point = await page.evaluate(() => {
    const c = window.loomReport.search['marginal:optim.lr'];
    const d = c.getOption().series[0].data[0].value;
    return c.convertToPixel({ seriesIndex: 0 }, d);
  });
  await lr.hover({ position: { x: point[0], y: point[1] } });
  await page.waitForTimeout(300);
  out.tooltip = await tooltipText(page, '#marginals .curve[data-chart="marginal:optim.lr"]', 'trial ');
  await page.screenshot({ path: screenshot, fullPage: true });
});
