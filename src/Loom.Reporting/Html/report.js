// Loom report page: curves per XP, a HiPlot-style parallel-coordinates view and the table of the XPs it
// selects, drawn with Apache ECharts from the JSON embedded below the library (see ReportData.cs).
// Only the glue is written here: ECharts has no shared HTML legend across charts, no table linked to a
// parallel brush and no CSV export, so those few pieces are plain DOM code.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('loom-data').textContent);
  var curveCharts = {};      // metric -> echarts instance
  var parallel = null;       // echarts instance
  var hidden = {};           // sig -> true when its curves are hidden
  var selected = null;       // indices of XPs kept by the brushes (null: all)
  var sort = { key: null, dir: 1 };

  var PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc'];
  function color(i) {
    if (i < PALETTE.length) return PALETTE[i];
    return 'hsl(' + Math.round((i * 137.508) % 360) + ', 60%, 50%)'; // golden angle: distinct hues for big grids
  }
  function label(xp) { return (xp.name || '(default)') + ' · ' + xp.sig; }
  function isAccuracy(m) { return /accuracy$/.test(m); }
  function fmt(metric, v) {
    if (v === null || v === undefined) return '';
    if (isAccuracy(metric)) return (100 * v).toFixed(2);
    if (metric === 'lr' || /\.lr$/.test(metric)) return Number(v).toPrecision(3);
    return Number(v).toFixed(4);
  }
  function text(v) { return v === null || v === undefined ? '' : String(v); }

  // ---- summary and legend -------------------------------------------------------------------------------
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
        trigger: 'axis', confine: true,
        valueFormatter: function (v) { return fmt(metric, v); }
      },
      toolbox: { feature: { saveAsImage: { name: metric, pixelRatio: 2 } }, right: 8 },
      grid: { left: 64, right: 24, top: 36, bottom: 40 },
      xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 24, minInterval: 1, min: 'dataMin' },
      yAxis: { type: log ? 'log' : 'value', scale: true,
               axisLabel: { formatter: function (v) { return isAccuracy(metric) ? (100 * v).toFixed(1) : v; } } },
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

  // ---- parallel coordinates -------------------------------------------------------------------------------
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
      if (dim.kind !== 'param' && isAccuracy(dim.key)) a.axisLabel = { formatter: function (v) { return (100 * v).toFixed(1); } };
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

  // ---- table of the selection, CSV ----------------------------------------------------------------------------
  // The table's columns; the CSV passes all=true to keep the shared parameters too.
  function columns(all) {
    var cols = [
      { title: 'name', text: true, get: function (r) { return r.name || '(default)'; } },
      { title: 'sig', text: true, get: function (r) { return r.sig; } },
      { title: 'state', text: true, get: function (r) { return r.state; } },
      { title: 'epoch', get: function (r) { return r.epochs; } }
    ];
    (all ? data.params : shownParams()).forEach(function (p) { cols.push({ title: p, text: true, get: function (r) { return r.params[p]; } }); });
    data.metrics.forEach(function (m) {
      cols.push({ title: m, metric: m, get: function (r) { return r.final[m]; } });
      if (hasBest(m)) cols.push({ title: 'best ' + m, metric: m, get: function (r) { return r.best[m]; } });
    });
    return cols;
  }

  function hasBest(m) { return data.xps.some(function (x) { return x.best[m] !== null && x.best[m] !== undefined; }); }

  function stat(metric, s) { return s ? fmt(metric, s.mean) + ' ± ' + fmt(metric, s.std) : ''; }

  // Rows: one per selected XP, or one per seed group with a selected member (values as mean ± std).
  function rows() {
    var xps = data.xps.filter(function (_, i) { return selected === null || selected.indexOf(i) >= 0; });
    if (!document.getElementById('seeds').checked) {
      return xps.map(function (xp) {
        return { name: xp.name, sig: xp.sig, state: xp.state, epochs: xp.epochs.length, params: xp.params,
                 final: xp.final, best: xp.best, sigs: [xp.sig] };
      });
    }
    var groups = [];
    xps.forEach(function (xp) { if (groups.indexOf(xp.group) < 0) groups.push(xp.group); });
    return groups.map(function (g) {
      var group = data.groups[g];
      var members = data.xps.filter(function (x) { return x.group === g; });
      var first = members[0];
      var params = {};
      data.params.forEach(function (p) { params[p] = p === 'seed' && members.length > 1 ? members.length + ' seeds' : first.params[p]; });
      var final = {}, best = {};
      data.metrics.forEach(function (m) { final[m] = stat(m, group.final[m]); best[m] = stat(m, group.best[m]); });
      var states = members.map(function (x) { return x.state; }).filter(function (s, k, all) { return s && all.indexOf(s) === k; });
      return { name: group.name, sig: first.sig + (members.length > 1 ? ' ×' + members.length : ''), state: states.join('/'),
               epochs: Math.max.apply(null, members.map(function (x) { return x.epochs.length; })),
               params: params, final: final, best: best, aggregated: true, sigs: group.sigs };
    });
  }

  function cell(col, r) {
    var v = col.get(r);
    if (col.metric && !r.aggregated) return fmt(col.metric, v);
    return text(v);
  }

  function renderTable() {
    var cols = columns();
    var list = rows();
    if (sort.key !== null) {
      var c = cols[sort.key];
      list.sort(function (a, b) {
        var x = c.get(a), y = c.get(b);
        if (x === y) return 0;
        if (x === null || x === undefined || x === '') return 1;
        if (y === null || y === undefined || y === '') return -1;
        return (x < y ? -1 : 1) * sort.dir;
      });
    }
    var table = document.getElementById('selected');
    var head = document.createElement('tr');
    cols.forEach(function (c, k) {
      var th = document.createElement('th');
      th.textContent = c.title + (sort.key === k ? (sort.dir > 0 ? ' ▲' : ' ▼') : '');
      if (c.text) th.className = 'text';
      th.addEventListener('click', function () { sort.dir = sort.key === k ? -sort.dir : 1; sort.key = k; renderTable(); });
      head.appendChild(th);
    });
    table.tHead.innerHTML = '';
    table.tHead.appendChild(head);
    var body = table.tBodies[0];
    body.innerHTML = '';
    list.forEach(function (r) {
      var tr = document.createElement('tr');
      tr.dataset.sig = r.sigs.join(' ');
      cols.forEach(function (c) {
        var td = document.createElement('td');
        td.textContent = cell(c, r);
        if (c.text) td.className = 'text';
        tr.appendChild(td);
      });
      tr.addEventListener('mouseenter', function () { highlight(r.sigs, true); });
      tr.addEventListener('mouseleave', function () { highlight(r.sigs, false); });
      body.appendChild(tr);
    });
    var n = selected === null ? data.xps.length : selected.length;
    document.getElementById('selection-count').textContent = n + ' of ' + data.xps.length + ' XPs selected';
    table.dataset.rows = String(list.length);
  }

  // Hovering a row emphasizes the XP's line in the parallel view and its curves.
  function highlight(sigs, on) {
    var indices = [];
    data.xps.forEach(function (xp, i) { if (sigs.indexOf(xp.sig) >= 0) indices.push(i); });
    if (parallel) parallel.dispatchAction({ type: on ? 'highlight' : 'downplay', seriesIndex: 0, dataIndex: indices });
    Object.keys(curveCharts).forEach(function (m) {
      curveCharts[m].dispatchAction({ type: on ? 'highlight' : 'downplay', seriesIndex: indices });
    });
  }

  function csv() {
    var cols = columns(true);
    var quote = function (v) { var s = text(v); return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
    var lines = [cols.map(function (c) { return quote(c.title); }).join(',')];
    rows().forEach(function (r) {
      lines.push(cols.map(function (c) {
        var v = c.get(r);
        return quote(c.metric && typeof v === 'number' ? String(v) : v); // full precision in the file
      }).join(','));
    });
    return lines.join('\n') + '\n';
  }

  function download(name, href) {
    var a = document.createElement('a');
    a.href = href; a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
  }

  // ---- wiring -----------------------------------------------------------------------------------------------
  function renderAll() {
    renderSummary();
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
    csv: csv
  };
})();
