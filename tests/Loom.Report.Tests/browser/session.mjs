// The frame every driver script shares: Debian's headless Chromium, a page that records console errors and
// uncaught exceptions into out.errors, the driver's own failure recorded there too, and one JSON line printed
// at the end for the C# test to parse.
import { chromium } from 'playwright-core';

export async function drive(url, body, pageOptions = {}) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  const out = { errors: [] };
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, ...pageOptions });
    page.on('console', m => { if (m.type() === 'error') out.errors.push(m.text()); });
    page.on('pageerror', e => out.errors.push(String(e)));
    await page.goto(url);
    await page.waitForFunction(() => window.loomReport !== undefined);
    await body(page, out);
  } catch (e) {
    out.errors.push('driver: ' + (e && e.stack || e));
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
}

/** The text of the tooltip ECharts shows inside the elements matching `selector`, if it contains `marker`. */
export function tooltipText(page, selector, marker) {
  return page.evaluate(([sel, mark]) => [...document.querySelectorAll(sel + ' div')]
    .filter(d => d.style.display !== 'none' && getComputedStyle(d).position === 'absolute' && d.textContent.includes(mark))
    .map(d => d.textContent)[0] || null, [selector, marker]);
}
