// Loom report page, formatting shared by the views: colors, labels, numbers.
// (The page's scripts are concatenated inside one function: see HtmlReport.cs. main.js holds the state.)

var PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc'];
function color(i) {
  if (i < PALETTE.length) return PALETTE[i];
  return 'hsl(' + Math.round((i * 137.508) % 360) + ', 60%, 50%)'; // golden angle: distinct hues for big grids
}
function label(xp) { return (xp.name || '(default)') + ' · ' + xp.sig; }
function isPercent(m) { return data.percent.indexOf(m) >= 0; } // as the XPs' tasks declared (metrics.json)
function fmt(metric, v) {
  if (v === null || v === undefined) return '';
  if (isPercent(metric)) return (100 * v).toFixed(2);
  if (metric === 'lr' || /\.lr$/.test(metric)) return Number(v).toPrecision(3);
  return Number(v).toFixed(4);
}
function text(v) { return v === null || v === undefined ? '' : String(v); }
