// Loom report page, the views of a search (`loom report SEARCH`): the best objective so far against the trials
// finished and against the epochs spent, and one marginal plot per parameter (objective against its value).
// The numbers are computed in C# (SearchView.cs); this file only draws them.
// (The page's scripts are concatenated inside one function: see HtmlReport.cs. main.js holds the state.)

var searchCharts = {}; // 'best-trials' | 'best-epochs' | 'marginal:<key>' -> echarts instance

function searchChart(id, box, className) {
  if (searchCharts[id]) return searchCharts[id];
  var div = document.createElement('div');
  div.className = className;
  div.dataset.chart = id;
  box.appendChild(div);
  return (searchCharts[id] = echarts.init(div, null, { renderer: 'canvas' }));
}

function objectiveAxis(s) {
  return { type: 'value', scale: true, name: s.objective + (s.maximize ? ' (max)' : ' (min)'), nameTextStyle: { fontSize: 11 },
           nameLocation: 'middle', nameGap: 44, nameRotate: 90,
           axisLabel: { formatter: function (v) { return isPercent(s.objective) ? (100 * v).toFixed(1) : v; } } };
}

function bestOption(s, points, xName) {
  return {
    animation: false,
    title: { text: 'best ' + s.objective + ' so far', left: 'center', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis', confine: true, valueFormatter: function (v) { return fmt(s.objective, v); } },
    toolbox: { feature: { saveAsImage: { name: 'best-by-' + xName.split(' ')[0], pixelRatio: 2 } }, right: 8 },
    grid: { left: 72, right: 24, top: 40, bottom: 40 },
    xAxis: { type: 'value', name: xName, nameLocation: 'middle', nameGap: 24, minInterval: 1, min: 0 },
    yAxis: objectiveAxis(s),
    series: [{ name: 'best so far', type: 'line', step: 'end', data: points.map(function (p) { return [p.x, p.best]; }),
               showSymbol: true, symbolSize: 6, itemStyle: { color: '#5470c6' } }]
  };
}

// Pruned trials are drawn apart: their value is at their last rung, not at the full budget.
function marginalOption(s, axis) {
  var values = s.trials.map(function (t) { return t.params[axis.key]; }).filter(function (v) { return v !== null && v !== undefined; });
  var x;
  if (axis.choice) {
    var cats = values.map(String).filter(function (v, k, all) { return all.indexOf(v) === k; });
    var numeric = cats.every(function (c) { return !isNaN(Number(c)); });
    cats.sort(numeric ? function (a, b) { return Number(a) - Number(b); } : undefined);
    x = { type: 'category', data: cats };
  } else {
    x = { type: axis.log ? 'log' : 'value', scale: true };
  }
  x.name = axis.key; x.nameLocation = 'middle'; x.nameGap = 24;
  function points(kind) {
    return s.trials.filter(function (t) {
      var v = t.params[axis.key];
      return t.value !== null && v !== null && v !== undefined && (kind === 'pruned') === /^PRUNED/.test(t.state);
    }).map(function (t) { return { value: [axis.choice ? String(t.params[axis.key]) : t.params[axis.key], t.value], trial: t }; });
  }
  return {
    animation: false,
    title: { text: s.objective + ' vs ' + axis.key, left: 'center', textStyle: { fontSize: 13 } },
    legend: { bottom: 0, data: ['complete', 'pruned (at its rung)'] },
    tooltip: { trigger: 'item', confine: true, formatter: function (p) {
      var t = p.data.trial;
      return 'trial ' + t.number + ' · ' + t.sig + ' · ' + t.state.toLowerCase() + '<br>' + axis.key + ' = ' + text(t.params[axis.key]) +
             '<br>' + s.objective + ' = ' + fmt(s.objective, t.value);
    } },
    grid: { left: 72, right: 24, top: 40, bottom: 64 },
    xAxis: x,
    yAxis: objectiveAxis(s),
    series: [
      { name: 'complete', type: 'scatter', data: points('complete'), symbolSize: 9, itemStyle: { color: '#5470c6' } },
      { name: 'pruned (at its rung)', type: 'scatter', data: points('pruned'), symbolSize: 7, symbol: 'emptyCircle', itemStyle: { color: '#999' } }
    ]
  };
}

function renderSearch() {
  var section = document.getElementById('search-section');
  var s = data.search;
  section.hidden = !s;
  if (!s) return;
  var complete = s.trials.filter(function (t) { return t.state === 'COMPLETE'; }).length;
  var pruned = s.trials.filter(function (t) { return /^PRUNED/.test(t.state); }).length;
  var best = s.bestByTrials.length ? s.bestByTrials[s.bestByTrials.length - 1].best : null;
  document.getElementById('search-summary').textContent = 'search ' + s.name + ': ' + s.trials.length + ' trials, ' + complete +
    ' complete, ' + pruned + ' pruned; objective ' + s.objective + ' (' + (s.maximize ? 'higher' : 'lower') + ' is better, as the task declares it)' +
    (best === null ? '' : '; best ' + fmt(s.objective, best));
  var bestBox = document.getElementById('search-best');
  searchChart('best-trials', bestBox, 'curve').setOption(bestOption(s, s.bestByTrials, 'trials finished'), { notMerge: true });
  searchChart('best-epochs', bestBox, 'curve').setOption(bestOption(s, s.bestByEpochs, 'epochs spent'), { notMerge: true });
  var marginals = document.getElementById('marginals');
  s.parameters.forEach(function (axis) {
    searchChart('marginal:' + axis.key, marginals, 'curve').setOption(marginalOption(s, axis), { notMerge: true });
  });
}
