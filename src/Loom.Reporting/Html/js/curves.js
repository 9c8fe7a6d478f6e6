// Loom report page, the header, the XP legend and the curves (one ECharts chart per metric).
// (The page's scripts are concatenated inside one function: see HtmlReport.cs. main.js holds the state.)

function renderSummary() {
  var s = document.getElementById('summary');
  var states = {};
  data.xps.forEach(function (x) { if (x.state) states[x.state] = (states[x.state] || 0) + 1; });
  var parts = [data.xps.length + ' XP' + (data.xps.length === 1 ? '' : 's')];
  if (data.baseName) parts.push('shared: ' + data.baseName);
  Object.keys(states).forEach(function (k) { parts.push(states[k] + ' ' + k.toLowerCase()); });
  parts.push((data.live ? 'updated ' : 'written ') + new Date(data.generated).toLocaleString());
  s.textContent = parts.join(' · ');
  if (data.live) s.classList.add('live');
}

function renderLegend() {
  var legend = document.getElementById('legend');
  legend.innerHTML = '';
  data.xps.forEach(function (xp, i) {
    var item = document.createElement('span');
    item.className = 'legend-item' + (hidden[xp.sig] ? ' off' : '');
    item.dataset.sig = xp.sig;
    var sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = color(i);
    item.appendChild(sw);
    item.appendChild(document.createTextNode(label(xp) + (xp.state ? ' (' + xp.state.toLowerCase() + ')' : '')));
    item.addEventListener('click', function () { toggle(xp, item); });
    legend.appendChild(item);
  });
}

function toggle(xp, item) {
  hidden[xp.sig] = !hidden[xp.sig];
  item.classList.toggle('off', !!hidden[xp.sig]);
  Object.keys(curveCharts).forEach(function (m) {
    curveCharts[m].dispatchAction({ type: hidden[xp.sig] ? 'legendUnSelect' : 'legendSelect', name: label(xp) });
  });
}

// ---- curves ---------------------------------------------------------------------------------------------
function curveOption(metric) {
  var log = document.getElementById('log-scale').checked;
  var names = data.xps.map(label);
  var selectedMap = {};
  data.xps.forEach(function (xp) { selectedMap[label(xp)] = !hidden[xp.sig]; });
  return {
    animation: false,
    title: { text: metric, left: 'center', textStyle: { fontSize: 13 } },
    legend: { show: false, data: names, selected: selectedMap },
    tooltip: {
      // One line per XP at the hovered epoch; past a dozen XPs that list is too long: the hovered line only.
      trigger: data.xps.length > 12 ? 'item' : 'axis', confine: true,
      valueFormatter: function (v) { return fmt(metric, v); }
    },
    toolbox: { feature: { saveAsImage: { name: metric, pixelRatio: 2 } }, right: 8 },
    grid: { left: 64, right: 24, top: 36, bottom: 40 },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 24, minInterval: 1, min: 'dataMin' },
    yAxis: { type: log ? 'log' : 'value', scale: true,
             axisLabel: { formatter: function (v) { return isPercent(metric) ? (100 * v).toFixed(1) : v; } } },
    series: data.xps.map(function (xp, i) {
      var values = xp.curves[metric] || [];
      var points = [];
      values.forEach(function (v, e) { if (v !== null && !(log && v <= 0)) points.push([xp.epochs[e], v]); });
      return { name: label(xp), type: 'line', data: points, showSymbol: points.length < 30, symbolSize: 5,
               itemStyle: { color: color(i) }, lineStyle: { width: 1.5 }, emphasis: { focus: 'series' } };
    })
  };
}

function renderCurves() {
  var box = document.getElementById('curves');
  data.metrics.forEach(function (metric) {
    var chart = curveCharts[metric];
    if (!chart) {
      var div = document.createElement('div');
      div.className = 'curve';
      div.dataset.metric = metric;
      box.appendChild(div);
      chart = curveCharts[metric] = echarts.init(div, null, { renderer: 'canvas' });
    }
    chart.setOption(curveOption(metric), { replaceMerge: ['series'] });
  });
  echarts.connect(Object.keys(curveCharts).map(function (m) { return curveCharts[m]; })); // shared hover
}
