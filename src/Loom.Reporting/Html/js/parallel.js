// Loom report page, the HiPlot-style parallel-coordinates view and its brushes.
// (The page's scripts are concatenated inside one function: see HtmlReport.cs. main.js holds the state.)

// Axes: each hyper-parameter, then the final value of each metric and the best of each scored metric.
function dimensions() {
  var dims = shownParams().map(function (p) { return { key: p, kind: 'param', name: p }; });
  data.metrics.forEach(function (m) {
    if (m === 'lr') return;
    dims.push({ key: m, kind: 'final', name: m });
    if (/^(valid|test)\./.test(m) && hasBest(m)) dims.push({ key: m, kind: 'best', name: 'best ' + m });
  });
  return dims;
}

// Parameters that every XP shares are in the header's "shared" part: an axis or a column for them says nothing.
function shownParams() {
  if (data.xps.length < 2) return data.params;
  return data.params.filter(function (p) {
    return data.xps.some(function (x) { return text(x.params[p]) !== text(data.xps[0].params[p]); });
  });
}

function value(xp, dim) {
  if (dim.kind === 'param') return xp.params[dim.key];
  var v = dim.kind === 'final' ? xp.final[dim.key] : xp.best[dim.key];
  return v === undefined ? null : v;
}

function axis(dim, i) {
  var values = data.xps.map(function (xp) { return value(xp, dim); }).filter(function (v) { return v !== null; });
  var numeric = values.every(function (v) { return typeof v === 'number'; });
  var a = { dim: i, name: dim.name, nameTextStyle: { fontSize: 11 }, nameRotate: 20 };
  if (!numeric) {
    a.type = 'category';
    a.data = values.map(String).filter(function (v, k, all) { return all.indexOf(v) === k; }).sort();
  } else if (dim.kind === 'param' && values.length > 1 && values.every(function (v) { return v > 0; })
             && Math.max.apply(null, values) / Math.min.apply(null, values) >= 100) {
    a.type = 'log'; // learning rates and weight decays span decades
  } else {
    a.type = 'value'; a.scale = true;
    if (dim.kind !== 'param' && isPercent(dim.key)) a.axisLabel = { formatter: function (v) { return (100 * v).toFixed(1); } };
  }
  return a;
}

function renderColorBy(dims) {
  var select = document.getElementById('color-by');
  var previous = select.value;
  select.innerHTML = '';
  dims.forEach(function (d, i) {
    var numeric = data.xps.some(function (xp) { return typeof value(xp, d) === 'number'; });
    if (!numeric) return;
    var o = document.createElement('option');
    o.value = String(i); o.textContent = d.name;
    select.appendChild(o);
  });
  var preferred = ['valid.accuracy', 'test.accuracy', 'train.accuracy', 'valid.loss', 'test.loss', 'train.loss'];
  if (previous && select.querySelector('option[value="' + previous + '"]')) { select.value = previous; return; }
  for (var p = 0; p < preferred.length; p++) {
    var k = dims.findIndex(function (d) { return d.kind === 'final' && d.key === preferred[p]; });
    if (k >= 0 && select.querySelector('option[value="' + k + '"]')) { select.value = String(k); return; }
  }
}

function parallelOption(dims) {
  var colorDim = Number(document.getElementById('color-by').value);
  var colorValues = data.xps.map(function (xp) { return value(xp, dims[colorDim] || dims[0]); })
    .filter(function (v) { return typeof v === 'number'; });
  var option = {
    animation: false,
    parallel: { left: 60, right: 170, top: 60, bottom: 30, parallelAxisDefault: { realtime: true } },
    parallelAxis: dims.map(axis),
    tooltip: { trigger: 'item', confine: true, formatter: function (p) { return label(data.xps[p.dataIndex]); } },
    series: [{
      type: 'parallel', smooth: false, inactiveOpacity: 0.06, activeOpacity: 1,
      lineStyle: { width: 2, opacity: 0.8 }, emphasis: { lineStyle: { width: 4 } },
      data: data.xps.map(function (xp) {
        return dims.map(function (d) { var v = value(xp, d); return v === null ? '-' : (typeof v === 'number' ? v : String(v)); });
      })
    }]
  };
  if (colorValues.length > 0 && dims[colorDim]) {
    option.visualMap = { type: 'continuous', dimension: colorDim, min: Math.min.apply(null, colorValues),
      max: Math.max.apply(null, colorValues), calculable: true, right: 8, top: 'middle', itemHeight: 200,
      text: [dims[colorDim].name, ''], inRange: { color: ['#313695', '#4575b4', '#74add1', '#fdae61', '#f46d43', '#a50026'] },
      formatter: function (v) { return dims[colorDim].kind !== 'param' ? fmt(dims[colorDim].key, v) : Number(v).toPrecision(3); } };
  } else {
    option.visualMap = [];
  }
  return option;
}

function renderParallel() {
  var dims = dimensions();
  renderColorBy(dims);
  if (!parallel) {
    parallel = echarts.init(document.getElementById('parallel'), null, { renderer: 'canvas' });
    parallel.on('axisareaselected', function () { selected = activeLines(); renderTable(); });
  }
  var option = parallelOption(dims);
  // Same axes as drawn (a live update with one more epoch): replace the lines only, so that the user's
  // brushes stay and the selection is recomputed from them. Other changes redraw all and clear the brushes.
  var shape = JSON.stringify([option.parallelAxis, document.getElementById('color-by').value]);
  if (parallel.loomShape === shape) {
    parallel.setOption({ series: option.series, visualMap: option.visualMap });
    selected = activeLines();
  } else {
    parallel.setOption(option, { notMerge: true });
    parallel.loomShape = shape;
    selected = null;
  }
}

// Documented way to read a brush's result: the raw indices of the lines left active (null: all of them).
function activeLines() {
  var active = parallel.getModel().getSeries()[0].getRawIndicesByActiveState('active');
  return active.length === data.xps.length ? null : active;
}
