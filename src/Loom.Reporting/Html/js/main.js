// Loom report page: curves per XP, a HiPlot-style parallel-coordinates view and the table of the XPs it
// selects (and for a search, its best-so-far and marginal plots: search.js), drawn with Apache ECharts from the JSON embedded in the page (see ReportData.cs). This file holds
// the state and the wiring; format.js, curves.js, parallel.js and table.js the views. Only the glue is
// hand-written: ECharts has no HTML legend shared by several charts, no table linked to a parallel brush and
// no CSV export.

var data = JSON.parse(document.getElementById('loom-data').textContent);
var curveCharts = {};      // metric -> echarts instance
var parallel = null;       // echarts instance
var hidden = {};           // sig -> true when its curves are hidden
var selected = null;       // indices of XPs kept by the brushes (null: all)
var sort = { key: null, dir: 1 };

function renderAll() {
  renderSummary();
  renderSearch();
  renderLegend();
  renderCurves();
  renderParallel();
  renderTable();
}

document.getElementById('log-scale').addEventListener('change', renderCurves);
function redrawParallel() {
  parallel.loomShape = null; // a full redraw, which clears the brushes
  renderParallel();
  renderTable();
}
document.getElementById('color-by').addEventListener('change', redrawParallel);
document.getElementById('seeds').addEventListener('change', renderTable);
document.getElementById('reset-selection').addEventListener('click', redrawParallel);
document.getElementById('export-png').addEventListener('click', function () {
  download('parallel.png', parallel.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }));
});
document.getElementById('export-csv').addEventListener('click', function () {
  download('xps.csv', URL.createObjectURL(new Blob([csv()], { type: 'text/csv' })));
});
window.addEventListener('resize', function () {
  Object.keys(curveCharts).forEach(function (m) { curveCharts[m].resize(); });
  Object.keys(searchCharts).forEach(function (k) { searchCharts[k].resize(); });
  if (parallel) parallel.resize();
});

document.getElementById('seeds').checked = data.groups.some(function (g) { return g.sigs.length > 1; });
renderAll();

// Live mode (`loom serve`): the server announces XPs whose history changed; fetch a new snapshot then.
if (data.live && window.EventSource) {
  var events = new EventSource('events');
  events.addEventListener('changed', function () {
    fetch('snapshot').then(function (r) { return r.json(); }).then(function (next) {
      data = next;
      renderAll();
    });
  });
}

// For tests and the curious: the charts and the data, read-only.
window.loomReport = {
  data: function () { return data; },
  curves: curveCharts,
  parallel: function () { return parallel; },
  search: searchCharts,
  csv: csv
};
