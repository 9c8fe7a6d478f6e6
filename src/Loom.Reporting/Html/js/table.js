// Loom report page, the table of the XPs the brushes select, its CSV and the row hover.
// (The page's scripts are concatenated inside one function: see HtmlReport.cs. main.js holds the state.)

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
