// The console page: loads the session, then follows /api/live (Server-Sent Events) and redraws
// each pool once a second. Every value from the server is put in the page as text, never as markup.
'use strict';
(function () {
  const HISTORY = 900;
  const session = { csrf: null, actions: false };
  const pools = new Map(); // name -> { el, history, charts }

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    Object.entries(props || {}).forEach(([k, v]) => {
      if (k === 'dataset') Object.assign(e.dataset, v); else e[k] = v;
    });
    children.forEach(c => e.append(c));
    return e;
  }

  function ms(us) { return us < 0 ? '–' : us >= 10000 ? (us / 1000).toFixed(0) + ' ms' : us >= 1000 ? (us / 1000).toFixed(1) + ' ms' : us + ' µs'; }
  function age(msHeld) { return msHeld < 0 ? 'untimed' : msHeld >= 60000 ? (msHeld / 60000).toFixed(1) + ' min' : (msHeld / 1000).toFixed(1) + ' s'; }

  // Stacks the operator opened stay open across the once-a-second redraw.
  const opened = new Set();
  function stackOf(frames, label, key) {
    if (!frames) return el('span', { className: 'empty', textContent: 'no stack (leak detection off)' });
    // The summary names the first frame outside the pool: where the application borrowed.
    const caller = frames.find(f => !/^(dev\.sluice\.internal\.|dev\.sluice\.SluiceDataSource\.)/.test(f)) || frames[0] || 'stack';
    const d = el('details', { className: 'stack', open: opened.has(key) }, el('summary', { textContent: (label ? label + ': ' : '') + caller }),
      el('pre', { textContent: frames.join('\n') }));
    d.addEventListener('toggle', () => { if (d.open) opened.add(key); else opened.delete(key); });
    return d;
  }

  function chart(holder, title, series, height) {
    const h = el('div', { className: 'chart' }, el('h3', { textContent: title }));
    holder.append(h);
    const opts = {
      width: Math.max(300, h.clientWidth || 400), height: height || 180,
      scales: { x: { time: true } },
      series: [{}].concat(series.map(s => ({ label: s[0], stroke: s[1], width: 1.5, spanGaps: false }))),
      axes: [{}, { size: 60 }],
    };
    const data = [[]].concat(series.map(() => []));
    const u = new uPlot(opts, data, h);
    new ResizeObserver(() => u.setSize({ width: Math.max(300, h.clientWidth), height: opts.height })).observe(h);
    return u;
  }

  function poolCard(name) {
    const card = el('section', { className: 'pool', dataset: { pool: name } });
    const title = el('h2', {}, el('span', { textContent: name }), el('span', { className: 'badge health' }), el('span', { className: 'badge breaker' }));
    const numbers = el('div', { className: 'numbers' });
    [['open', 'open'], ['inUse', 'in use'], ['idle', 'idle'], ['pending', 'waiting'], ['max', 'max'], ['acquired', 'borrows'],
      ['timeouts', 'timeouts'], ['leaks', 'leaks']].forEach(([k, label]) =>
      numbers.append(el('div', {}, el('b', { dataset: { k: k }, textContent: '–' }), el('span', { textContent: label }))));
    const reasons = el('p', { className: 'reasons' });
    const charts = el('div', { className: 'charts' });
    const latency = el('table', { className: 'latency' });
    const held = el('table', { className: 'held' });
    const leaks = el('ul', { className: 'events leaks' });
    const breaker = el('ul', { className: 'events breaker-log' });
    const sizing = el('ul', { className: 'events sizing' });
    const blocks = el('div', { className: 'blocks' },
      el('div', { className: 'block' }, el('h3', { textContent: 'Latency since start' }), latency),
      el('div', { className: 'block' }, el('h3', { className: 'held-title', textContent: 'Held now, longest first' }), held),
      el('div', { className: 'block' }, el('h3', { textContent: 'Leak reports' }), leaks),
      el('div', { className: 'block' }, el('h3', { textContent: 'Circuit breaker' }), breaker),
      el('div', { className: 'block' }, el('h3', { textContent: 'Sizing decisions' }), sizing));
    card.append(title, reasons, numbers, charts, blocks);
    if (session.actions) card.append(actionBar(name));
    document.getElementById('pools').append(card);
    const p = { el: card, history: { t: [], open: [], inUse: [], idle: [], pending: [], acquireUs: [], holdUs: [], createUs: [] } };
    p.counts = chart(charts, 'Connections', [['open', '#475467'], ['in use', '#1570ef'], ['idle', '#12b76a'], ['waiting', '#d92d20']]);
    p.latency = chart(charts, 'Mean latency per second (µs)', [['acquire', '#7a5af8'], ['hold', '#1570ef'], ['connect', '#f79009']]);
    pools.set(name, p);
    return p;
  }

  function actionBar(name) {
    const max = el('input', { type: 'number', min: 1, name: 'maximumPoolSize', title: 'maximumPoolSize' });
    const min = el('input', { type: 'number', min: 0, name: 'minimumIdle', title: 'minimumIdle' });
    const out = el('span', { className: 'action-result' });
    const post = (action, body) => fetch('/api/pools/' + encodeURIComponent(name) + '/' + action, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'X-CSRF-Token': session.csrf, 'Content-Type': 'application/x-www-form-urlencoded' }, body: body || '',
    }).then(r => r.text()).then(t => { out.textContent = t; });
    const button = (label, action) => el('button', { type: 'button', textContent: label, onclick: () => post(action) });
    return el('div', { className: 'actions' }, button('Evict all', 'evict'), button('Suspend', 'suspend'), button('Resume', 'resume'),
      max, min, el('button', { type: 'button', textContent: 'Resize', onclick: () =>
        post('resize', new URLSearchParams({ maximumPoolSize: max.value, minimumIdle: min.value }).toString()) }), out);
  }

  function push(h, second, now, means) {
    h.t.push(second); h.open.push(now.open); h.inUse.push(now.inUse); h.idle.push(now.idle); h.pending.push(now.pending);
    h.acquireUs.push(means.acquireUs); h.holdUs.push(means.holdUs); h.createUs.push(means.createUs);
    if (h.t.length > HISTORY) Object.values(h).forEach(a => a.shift());
  }

  function gaps(a) { return a.map(v => (v < 0 ? null : v)); }

  function draw(p) {
    const h = p.history;
    p.counts.setData([h.t, h.open, h.inUse, h.idle, h.pending]);
    p.latency.setData([h.t, gaps(h.acquireUs), gaps(h.holdUs), gaps(h.createUs)]);
  }

  function fill(list, items, render, emptyText) {
    list.replaceChildren(...(items.length ? items.slice().reverse().map(render) : [el('li', { className: 'empty', textContent: emptyText })]));
  }

  function render(doc) {
    let p = pools.get(doc.name) || poolCard(doc.name);
    const q = s => p.el.querySelector(s);
    if (doc.error) { q('.reasons').textContent = doc.error; return; }
    Object.entries(doc.now).forEach(([k, v]) => { const n = q('[data-k="' + k + '"]'); if (n) n.textContent = v; });
    q('.health').textContent = doc.health.status; q('.health').className = 'badge health ' + doc.health.status;
    q('.breaker').textContent = 'breaker ' + doc.now.breaker; q('.breaker').className = 'badge breaker ' + doc.now.breaker;
    q('.reasons').textContent = doc.health.reasons.join(' · ') + (doc.now.suspended ? ' · SUSPENDED' : '');
    const lat = q('.latency');
    lat.replaceChildren(el('tr', {}, ...['', 'count', 'mean', 'p50', 'p90', 'p99', 'max'].map(t => el('th', { textContent: t }))),
      ...[['acquire', doc.latency.acquire], ['hold', doc.latency.hold], ['connect', doc.latency.create]].map(([n, l]) =>
        el('tr', {}, el('td', { textContent: n }), el('td', { textContent: l.count }),
          ...[l.meanUs, l.p50Us, l.p90Us, l.p99Us, l.maxUs].map(v => el('td', { textContent: ms(v) })))));
    q('.held-title').textContent = 'Held now, longest first (' + doc.heldTotal + ')';
    q('.held').replaceChildren(el('tr', {}, ...['#', 'thread', 'held', 'borrowed at'].map(t => el('th', { textContent: t }))),
      ...doc.held.map(c => el('tr', { className: 'held-row', dataset: { thread: c.thread || '' } }, el('td', { textContent: c.id }), el('td', { textContent: c.thread || '?' }),
        el('td', { textContent: age(c.heldMs) }), el('td', {}, stackOf(c.stack, null, 'held ' + c.id + ' ' + c.thread)))));
    fill(q('.leaks'), doc.leaks, l => el('li', { className: l.kind === 'returned late' ? 'returned' : 'leak' },
      el('div', { textContent: l.at + ' ' + l.kind + ': thread ' + l.thread + ' held ' + age(l.heldMs) + (l.context ? ' (' + l.context + ')' : '') }),
      stackOf(l.stack, 'borrower\'s stack', 'leak ' + l.at + ' ' + l.thread)), 'no leak reported');
    fill(q('.breaker-log'), doc.breakerLog, b => el('li', { textContent: b.at + ' ' + b.from + ' → ' + b.to + (b.failure ? ': ' + b.failure : '') }),
      'no state change since the console started (now ' + doc.now.breaker + ')');
    fill(q('.sizing'), doc.sizing, d => el('li', { textContent: d.at + ' ' + d.action + ' ' + d.from + '→' + d.to + (d.applied ? '' : ' [advisory]') + ': ' + d.reason }),
      'no sizing decision (sizing FIXED or none yet)');
    return p;
  }

  // Tenant-routing data sources: the shared budget over time and the busiest tenants now.
  const tenantViews = new Map(); // name -> { el, history, chart }

  function tenantCard(name) {
    const card = el('section', { className: 'pool tenants', dataset: { tenants: name } });
    card.append(el('h2', {}, el('span', { textContent: name }), el('span', { className: 'badge mode' })));
    const numbers = el('div', { className: 'numbers' });
    [['open', 'open'], ['inUse', 'in use'], ['idle', 'idle'], ['waiting', 'waiting'], ['max', 'budget']].forEach(([k, label]) =>
      numbers.append(el('div', {}, el('b', { dataset: { k: k }, textContent: '–' }), el('span', { textContent: label }))));
    const charts = el('div', { className: 'charts' });
    const table = el('table', { className: 'tenant-table' });
    card.append(numbers, charts, el('div', { className: 'block' }, el('h3', { className: 'tenants-title', textContent: 'Tenants, busiest first' }), table));
    document.getElementById('tenants').append(card);
    const v = { el: card, history: { t: [], open: [], inUse: [], idle: [], pending: [] } };
    v.chart = chart(charts, 'Connection budget', [['open', '#475467'], ['in use', '#1570ef'], ['idle', '#12b76a'], ['waiting', '#d92d20']]);
    tenantViews.set(name, v);
    return v;
  }

  function dash(v) { return v === undefined || v < 0 ? '–' : v; }

  function renderTenants(doc) {
    const v = tenantViews.get(doc.name) || tenantCard(doc.name);
    const q = s => v.el.querySelector(s);
    if (doc.error) { q('.tenants-title').textContent = doc.error; return null; }
    q('.mode').textContent = doc.mode;
    Object.entries(doc.budget).forEach(([k, n]) => { const b = q('[data-k="' + k + '"]'); if (b) b.textContent = n; });
    q('.tenants-title').textContent = 'Tenants, busiest first (' + doc.tenantCount + ' active)';
    const rows = doc.tenants.map(t => el('tr', { className: 'tenant-row', dataset: { tenant: t.tenant } },
      el('td', { textContent: t.tenant }), el('td', { textContent: t.inUse }),
      ...(t.pool ? [t.pool.open, t.pool.idle, t.pool.pending, t.pool.acquired, t.pool.timeouts, t.pool.breaker] : ['–', '–', '–', '–', '–', '–'])
        .map(x => el('td', { textContent: dash(x) }))));
    if (doc.others) {
      rows.push(el('tr', { className: 'tenant-others' }, el('td', { textContent: doc.others.tenants + ' others' }),
        ...[doc.others.inUse, doc.others.open, doc.others.idle, doc.others.pending, '', '', ''].map(x => el('td', { textContent: x }))));
    }
    q('.tenant-table').replaceChildren(el('tr', {}, ...['tenant', 'in use', 'open', 'idle', 'waiting', 'borrows', 'timeouts', 'breaker']
      .map(t => el('th', { textContent: t }))), ...(rows.length ? rows : [el('tr', {}, el('td', { className: 'empty', textContent: 'no tenant active' }))]));
    return v;
  }

  function pushBudget(h, second, b) {
    h.t.push(second); h.open.push(b.open); h.inUse.push(b.inUse); h.idle.push(b.idle); h.pending.push(b.waiting);
    if (h.t.length > HISTORY) Object.values(h).forEach(a => a.shift());
  }

  function drawBudget(v) { const h = v.history; v.chart.setData([h.t, h.open, h.inUse, h.idle, h.pending]); }

  // The doctor's findings: checked once when the console started.
  function renderDoctor(doc) {
    const box = document.getElementById('doctor');
    if (!doc || doc.state === 'none') { box.hidden = true; return; }
    box.hidden = false;
    const title = el('h2', { textContent: 'Doctor' });
    if (doc.state === 'running') { box.replaceChildren(title, el('p', { className: 'empty', textContent: 'checking the configuration against the server…' })); return; }
    if (doc.state === 'failed') { box.replaceChildren(title, el('p', { className: 'doctor-error', textContent: 'the check could not run: ' + doc.error })); return; }
    const values = o => Object.entries(o).map(([k, x]) => k + '=' + x).join(', ');
    box.replaceChildren(title, el('p', { className: 'reasons', textContent: doc.target }),
      el('table', { className: 'findings' }, el('tr', {}, ...['id', 'severity', 'finding', 'fix', 'values'].map(t => el('th', { textContent: t }))),
        ...doc.findings.map(f => el('tr', { className: 'finding ' + f.severity, dataset: { id: f.id } },
          el('td', { textContent: f.id }), el('td', { textContent: f.severity }), el('td', { textContent: f.message }),
          el('td', { textContent: f.fix }), el('td', { textContent: values(f.values) })))));
  }

  function tick(d) {
    d.pools.forEach(doc => {
      const p = render(doc);
      if (p && doc.now) { push(p.history, doc.second, doc.now, doc.means); draw(p); }
    });
    (d.tenants || []).forEach(doc => {
      const v = renderTenants(doc);
      if (v) { pushBudget(v.history, doc.second, doc.budget); drawBudget(v); }
    });
    renderDoctor(d.doctor);
  }

  function snapshot(d) {
    d.latest.pools.forEach(doc => {
      const p = render(doc);
      const h = d.history[doc.name];
      if (p && h) { Object.keys(p.history).forEach(k => { p.history[k] = h[k].slice(); }); draw(p); }
    });
    (d.latest.tenants || []).forEach(doc => {
      const v = renderTenants(doc);
      const h = (d.tenantHistory || {})[doc.name];
      if (v && h) { Object.keys(v.history).forEach(k => { v.history[k] = h[k].slice(); }); drawBudget(v); }
    });
    renderDoctor(d.latest.doctor);
  }

  async function start() {
    const r = await fetch('/api/session', { credentials: 'same-origin' });
    if (r.status === 401) { location.href = '/login'; return; }
    const s = await r.json();
    session.csrf = s.csrf; session.actions = s.actions;
    document.getElementById('who').textContent = s.who + (s.actions ? ' · actions enabled' : ' · read-only');
    document.getElementById('logout').addEventListener('click', () =>
      fetch('/logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': session.csrf } })
        .then(() => { location.href = '/login'; }));
    const status = document.getElementById('status');
    const live = new EventSource('/api/live');
    live.addEventListener('snapshot', e => snapshot(JSON.parse(e.data)));
    live.addEventListener('tick', e => { status.textContent = 'live'; status.className = 'status live'; tick(JSON.parse(e.data)); });
    live.onerror = () => {
      status.textContent = 'reconnecting…'; status.className = 'status down';
      // A session that ended (logout elsewhere, expiry, console restart) sends the operator to log in again.
      fetch('/api/session', { credentials: 'same-origin' }).then(r => { if (r.status === 401) { live.close(); location.href = '/login'; } }, () => {});
    };
  }

  document.addEventListener('DOMContentLoaded', start);
})();
