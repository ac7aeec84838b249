// The dashboard page: a hash router, one poll per second of the JSON API the current view needs, and plain DOM rendering.
import { lineChart } from '/dashboard/chart.js';

const pollMs = 1000;
const chartWindowMs = 5 * 60 * 1000;
const view = document.getElementById('view');
const freshness = document.getElementById('freshness');
let timer = null;
let generation = 0;
let series = { key: '', points: [] };

const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const dash = '<span class="muted" title="not measured yet">—</span>';
const int = n => n === null || n === undefined ? dash : Number(n).toLocaleString('en-US');
const rate = n => n === null || n === undefined ? dash : (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
const ms = n => n === null || n === undefined ? dash : (n >= 100 ? Math.round(n) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const pct = n => n === null || n === undefined ? dash : n.toFixed(1);
const mb = n => n === null || n === undefined ? dash : Math.round(n).toLocaleString('en-US');

function uptime(seconds) {
  if (seconds === null || seconds === undefined) return dash;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : m ? `${m}m ${s % 60}s` : `${s}s`;
}

function statusBadge(silo) {
  if (silo.status === 'dead') return '<span class="status dead">dead</span>';
  const badge = `<span class="status ${esc(silo.status)}">${esc(silo.status.replace('-', ' '))}</span>`;
  return silo.answering ? badge : `${badge} <span class="status silent" title="${esc(silo.problem)}">not answering</span>`;
}

function card(label, value, unit, bad) {
  return `<div class="card${bad ? ' bad' : ''}" data-card="${esc(label)}"><div class="label">${esc(label)}</div><div class="value">${value}<span class="unit">${esc(unit ?? '')}</span></div></div>`;
}

const siloLink = address => `<a href="#/silos/${encodeURIComponent(address)}" data-silo-link="${esc(address)}">${esc(address)}</a>`;
const grainLink = type => `<a href="#/grains/${encodeURIComponent(type)}" data-grain-type="${esc(type)}">${esc(type)}</a>`;
const errorsCell = n => `<td class="num${n ? ' errors-nonzero' : ''}" data-field="errors" data-value="${n ?? ''}">${int(n)}</td>`;

/** Keeps the chart points of the current view, asking the server only for the last few seconds on each poll. */
function mergeSeries(key, points) {
  if (series.key !== key) series = { key, points: [] };
  const byTime = new Map(series.points.map(p => [p.at, p]));
  for (const p of points) byTime.set(p.at, p);
  const cutoff = Date.now() - chartWindowMs - 60000;
  series.points = [...byTime.values()].filter(p => Date.parse(p.at) >= cutoff).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return series.points;
}

function since(key) {
  if (series.key !== key || !series.points.length) return '';
  // The newest seconds may still be missing a silo's sample: ask for them again.
  const last = Date.parse(series.points[series.points.length - 1].at) - 5000;
  return 'since=' + encodeURIComponent(new Date(last).toISOString());
}

function intakeChart(points) {
  const at = p => Date.parse(p.at);
  return `<div class="charts">${lineChart('Sightings', 'per second', [
    { name: 'accepted/s', color: 'var(--ok)', points: points.map(p => [at(p), p.acceptedPerSecond]) },
    { name: 'refused/s', color: 'var(--errors)', points: points.map(p => [at(p), p.refusedPerSecond]) }], chartWindowMs)}</div>`;
}

function charts(points) {
  const at = p => Date.parse(p.at);
  const parts = [
    lineChart('Calls', 'calls/s', [{ name: 'calls/s', color: 'var(--calls)', points: points.map(p => [at(p), p.callsPerSecond]) }], chartWindowMs),
    lineChart('Errors', 'errors/s', [{ name: 'errors/s', color: 'var(--errors)', points: points.map(p => [at(p), p.errorsPerSecond]) }], chartWindowMs),
    lineChart('Latency', 'ms', [
      { name: 'p50', color: 'var(--p50)', points: points.map(p => [at(p), p.p50Milliseconds]) },
      { name: 'p99', color: 'var(--p99)', points: points.map(p => [at(p), p.p99Milliseconds]) }], chartWindowMs),
    lineChart('CPU', '% of all cores', [{ name: 'cpu', color: 'var(--cpu)', points: points.map(p => [at(p), p.cpuPercent]) }], chartWindowMs),
  ];
  return `<div class="charts">${parts.join('')}</div>`;
}

function siloTable(silos) {
  const rows = silos.map(s => `
    <tr class="${s.status === 'dead' ? 'dead' : s.answering ? '' : 'silent'}" data-silo="${esc(s.address)}">
      <td>${statusBadge(s)}</td>
      <td class="address">${siloLink(s.address)}${s.problem && s.status !== 'dead' ? `<div class="muted">${esc(s.problem)}</div>` : ''}</td>
      <td>${esc(s.host)}</td>
      <td class="num">${s.status === 'dead' ? dash : uptime(s.uptimeSeconds)}</td>
      <td class="num" data-field="activations" data-value="${s.activations ?? ''}">${int(s.activations)}</td>
      <td class="num">${pct(s.cpuPercent)}</td>
      <td class="num">${mb(s.workingSetMegabytes)}</td>
      <td class="num">${mb(s.gcHeapMegabytes)}</td>
      <td class="num" data-field="calls" data-value="${s.calls ?? ''}">${int(s.calls)}</td>
      ${errorsCell(s.errors)}
      <td class="num">${rate(s.callsPerSecond)}</td>
      <td class="num">${ms(s.p50Milliseconds)}</td>
      <td class="num">${ms(s.p99Milliseconds)}</td>
    </tr>`).join('');
  return `<table id="silos"><thead><tr><th>Status</th><th>Silo</th><th>Host</th><th class="num">Uptime</th><th class="num">Activations</th>
    <th class="num">CPU %</th><th class="num">Memory MB</th><th class="num">GC heap MB</th><th class="num">Calls</th><th class="num">Errors</th>
    <th class="num">Calls/s</th><th class="num">p50 ms</th><th class="num">p99 ms</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function grainTable(types) {
  if (!types.length) {
    return '<p class="empty" id="no-grains">No grain calls yet. Grain types appear here as soon as one is activated or called; send work to the silo (for example <code>POST /api/lineage/sightings</code>) and they show up within a second.</p>';
  }
  const rows = types.map(t => `
    <tr data-grain-row="${esc(t.grainType)}">
      <td>${grainLink(t.grainType)}<div class="muted">${esc(t.grainClass)}</div></td>
      <td class="num">${int(t.activations)}</td>
      <td class="num" data-field="calls" data-value="${t.calls}">${int(t.calls)}</td>
      ${errorsCell(t.errors)}
      <td class="num">${rate(t.callsPerSecond)}</td>
      <td class="num">${rate(t.errorsPerSecond)}</td>
      <td class="num">${ms(t.p50Milliseconds)}</td>
      <td class="num">${ms(t.p99Milliseconds)}</td>
    </tr>`).join('');
  return `<table id="grains"><thead><tr><th>Grain type</th><th class="num">Activations</th><th class="num">Calls</th><th class="num">Errors</th>
    <th class="num">Calls/s</th><th class="num">Errors/s</th><th class="num">p50 ms</th><th class="num">p99 ms</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function windowNote(seconds) {
  return `<p class="muted">Rates and percentiles cover the last ${seconds} s; totals count since each silo started. “—” means not measured yet: the first rates appear a second after the page opens.</p>`;
}

function renderOverview(data) {
  if (!data.silos.length) {
    return '<p class="empty" id="no-silos">No silos reporting yet — start one with <code>dotnet run -c Release --project Silo</code>; it joins the cluster and appears here within seconds.</p>';
  }
  const t = data.totals;
  const banners = [];
  if (t.dead) banners.push(`<div class="banner bad" id="dead-banner">${t.dead} silo${t.dead > 1 ? 's are' : ' is'} DEAD: ${data.silos.filter(s => s.status === 'dead').map(s => esc(s.address)).join(', ')}</div>`);
  if (t.notAnswering) banners.push(`<div class="banner warn">${t.notAnswering} silo${t.notAnswering > 1 ? 's are' : ' is'} not answering the dashboard.</div>`);
  return `${banners.join('')}
    <div class="cards">
      ${card('Silos active', `${t.active} / ${t.silos}`, '', t.dead > 0 || t.notAnswering > 0)}
      ${card('Activations', int(t.activations))}
      ${card('Calls', rate(t.callsPerSecond), 'calls/s')}
      ${card('Errors', rate(t.errorsPerSecond), 'errors/s', t.errorsPerSecond > 0)}
      ${card('Latency p50', ms(t.p50Milliseconds), 'ms')}
      ${card('Latency p99', ms(t.p99Milliseconds), 'ms')}
      ${card('Calls total', int(t.calls))}
      ${card('Errors total', int(t.errors), '', t.errors > 0)}
    </div>
    ${charts(mergeSeries('cluster', data.series))}
    <h2>Silos</h2>
    ${siloTable(data.silos)}
    ${windowNote(data.rateWindowSeconds)}
    ${data.clustered ? '' : '<p class="muted">This silo is not a cluster member: it shows itself only.</p>'}`;
}

function renderGrains(data) {
  return `<h2>Grain types</h2>${grainTable(data.grainTypes)}${windowNote(data.rateWindowSeconds)}`;
}

function renderGrainType(data, type) {
  const t = data.grainTypes.find(g => g.grainType === type);
  if (!t) {
    return `<p class="crumbs"><a href="#/grains">Grains</a> › ${esc(type)}</p><p class="empty">No silo reports grain type <code>${esc(type)}</code> at the moment: it has no activations and no calls since the silos started. <a href="#/grains">Back to all grain types.</a></p>`;
  }
  const methods = t.methods.map(m => `
    <tr data-method="${esc(m.method)}">
      <td>${esc(m.method)}<div class="muted">${esc(m.interface)}</div></td>
      <td class="num" data-field="calls" data-value="${m.calls}">${int(m.calls)}</td>
      ${errorsCell(m.errors)}
      <td class="num">${rate(m.callsPerSecond)}</td>
      <td class="num">${rate(m.errorsPerSecond)}</td>
      <td class="num">${ms(m.p50Milliseconds)}</td>
      <td class="num">${ms(m.p99Milliseconds)}</td>
      <td class="num">${ms(m.meanMilliseconds)}</td>
    </tr>`).join('');
  const silos = t.silos.map(s => `
    <tr><td>${siloLink(s.silo)}</td><td class="num">${int(s.activations)}</td><td class="num">${int(s.calls)}</td>${errorsCell(s.errors)}
      <td class="num">${rate(s.callsPerSecond)}</td><td class="num">${ms(s.p99Milliseconds)}</td></tr>`).join('');
  return `<p class="crumbs"><a href="#/grains">Grains</a> › ${esc(t.grainType)}</p>
    <h2 id="grain-type-title">${esc(t.grainType)} <span class="muted">${esc(t.grainClass)}</span></h2>
    <div class="cards">
      ${card('Activations', int(t.activations))}
      ${card('Calls', rate(t.callsPerSecond), 'calls/s')}
      ${card('Errors', rate(t.errorsPerSecond), 'errors/s', t.errorsPerSecond > 0)}
      ${card('Latency p50', ms(t.p50Milliseconds), 'ms')}
      ${card('Latency p99', ms(t.p99Milliseconds), 'ms')}
    </div>
    <h2>Methods</h2>
    ${methods ? `<table id="methods"><thead><tr><th>Method</th><th class="num">Calls</th><th class="num">Errors</th><th class="num">Calls/s</th>
      <th class="num">Errors/s</th><th class="num">p50 ms</th><th class="num">p99 ms</th><th class="num">Mean ms (since start)</th></tr></thead><tbody>${methods}</tbody></table>`
      : '<p class="empty">No method of this grain type has been called yet (it has activations only).</p>'}
    <h2>Where it runs</h2>
    <table><thead><tr><th>Silo</th><th class="num">Activations</th><th class="num">Calls</th><th class="num">Errors</th><th class="num">Calls/s</th><th class="num">p99 ms</th></tr></thead><tbody>${silos}</tbody></table>
    ${windowNote(data.rateWindowSeconds)}`;
}

function renderSilo(data) {
  const s = data.silo;
  const log = data.log.length
    ? `<div class="log" id="log">${data.log.slice().reverse().map(e => `<div class="${esc(e.level)}">${esc(new Date(e.at).toTimeString().slice(0, 8))} ${esc(e.level.toUpperCase())} ${esc(e.category)}[${e.eventId}] ${esc(e.message)}${e.exception ? ' — ' + esc(e.exception) : ''}</div>`).join('')}</div>`
    : '<p class="empty" id="log-empty">No warnings or errors since this silo started. The tail keeps its last 500 entries at Warning and above, newest first.</p>';
  const dead = s.status === 'dead';
  return `<p class="crumbs"><a href="#/">Overview</a> › silo</p>
    <h2 id="silo-title">${statusBadge(s)} ${esc(s.address)} <span class="muted">on ${esc(s.host)}</span></h2>
    ${dead ? '<div class="banner bad">This silo is DEAD: it left the cluster or was declared dead by its peers. Its figures are gone with it.</div>' : ''}
    ${!dead && !s.answering ? `<div class="banner warn">Not answering: ${esc(s.problem)}</div>` : ''}
    <div class="cards">
      ${card('Uptime', dead ? dash : uptime(s.uptimeSeconds))}
      ${card('Activations', int(s.activations))}
      ${card('CPU', pct(s.cpuPercent), '%')}
      ${card('Memory', mb(s.workingSetMegabytes), 'MB')}
      ${card('GC heap', mb(s.gcHeapMegabytes), 'MB')}
      ${card('Calls', rate(s.callsPerSecond), 'calls/s')}
      ${card('Errors', rate(s.errorsPerSecond), 'errors/s', s.errorsPerSecond > 0)}
      ${card('Latency p99', ms(s.p99Milliseconds), 'ms')}
    </div>
    ${charts(mergeSeries('silo:' + s.address, data.series))}
    <h2>Grain types on this silo</h2>
    ${grainTable(data.grainTypes)}
    <h2>Recent warnings and errors</h2>
    ${log}
    ${windowNote(data.rateWindowSeconds)}`;
}

// Counted from the shared storage by GET /api/lineage/totals (at most every 10 s), so every silo shows the same cluster-wide figures.
function lineageTotals(totals) {
  if (!totals) return '<p class="muted" id="lineage-totals">Lineage totals are unavailable: this silo did not answer <code>/api/lineage/totals</code>.</p>';
  return `<h2>Lineage</h2><div class="cards" id="lineage-totals">
      ${card('Posts seen', int(totals.posts))}
      ${card('Accounts', int(totals.accounts))}
      ${card('Content fingerprints', int(totals.contentFingerprints))}
      ${card('Perceptual hashes', int(totals.perceptualHashes))}
      ${card('Subjects', int(totals.subjects))}
    </div><p class="muted">Whole cluster, counted ${esc(new Date(totals.countedAt).toTimeString().slice(0, 8))} (at most every 10 s).</p>`;
}

function renderIntake(data, totals) {
  const lineageTotalsNote = lineageTotals(totals);
  const points = mergeSeries('intake', data.series);
  if (!data.reporting) {
    return `<h2>Intake</h2><p class="empty" id="no-intake">No sightings received since these silos started. Send some with <code>POST /api/lineage/sightings</code> (NDJSON, one sighting per line); accepted and refused counts, refusal reasons and backlog appear here within a second.</p>${lineageTotalsNote}`;
  }
  const reasons = data.refusedByReason.length
    ? `<table id="reasons"><thead><tr><th>Refusal reason</th><th class="num">Sightings</th></tr></thead><tbody>${data.refusedByReason.map(r => `<tr><td>${esc(r.reason)}</td><td class="num">${int(r.count)}</td></tr>`).join('')}</tbody></table>`
    : '<p class="empty">No sighting has been refused.</p>';
  const silos = data.silos.map(s => `<tr><td>${siloLink(s.silo)}</td><td>${statusBadge({ status: s.status, answering: s.answering, problem: '' })}</td>
    <td class="num">${int(s.received)}</td><td class="num">${int(s.accepted)}</td><td class="num">${int(s.refused)}</td>
    <td class="num">${rate(s.acceptedPerSecond)}</td><td class="num">${rate(s.refusedPerSecond)}</td></tr>`).join('');
  return `<h2>Intake</h2>
    <div class="cards">
      ${card('Accepted', rate(data.acceptedPerSecond), 'sightings/s')}
      ${card('Refused', rate(data.refusedPerSecond), 'sightings/s', data.refusedPerSecond > 0)}
      ${card('Backlog', data.backlog === null ? 'none' : int(data.backlog), data.backlog === null ? '' : 'sightings')}
      ${card('Received total', int(data.received))}
      ${card('Accepted total', int(data.accepted))}
      ${card('Duplicates total', int(data.duplicates))}
      ${card('Refused total', int(data.refused), '', data.refused > 0)}
      ${card('Flagged total', int(data.flagged))}
    </div>
    ${data.backlog === null ? '<p class="muted">Backlog: none — intake is synchronous (each request is answered once its sightings are durable), so nothing waits in a queue.</p>' : ''}
    ${intakeChart(points)}
    <h2>Refusal reasons</h2>${reasons}
    ${lineageTotalsNote}
    <h2>Per silo</h2>
    <table><thead><tr><th>Silo</th><th>Status</th><th class="num">Received</th><th class="num">Accepted</th><th class="num">Refused</th><th class="num">Accepted/s</th><th class="num">Refused/s</th></tr></thead><tbody>${silos}</tbody></table>`;
}

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [page, ...rest] = hash.split('/');
  const arg = rest.length ? decodeURIComponent(rest.join('/')) : null;
  switch (page) {
    case 'grains':
      return { nav: 'grains', url: () => '/api/dashboard/grains', render: d => arg === null ? renderGrains(d) : renderGrainType(d, arg) };
    case 'silos':
      return { nav: 'overview', url: () => `/api/dashboard/silos/${encodeURIComponent(arg ?? '')}?${since('silo:' + arg)}`, render: renderSilo };
    case 'intake':
      return { nav: 'intake', url: () => `/api/dashboard/intake?${since('intake')}`, extra: '/api/lineage/totals', render: renderIntake };
    default:
      return { nav: 'overview', url: () => `/api/dashboard/cluster?${since('cluster')}`, render: renderOverview };
  }
}

async function poll(mine) {
  const current = route();
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('current', a.dataset.nav === current.nav);
  try {
    const response = await fetch(current.url(), { headers: { accept: 'application/json' } });
    if (mine !== generation) return;
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      view.innerHTML = `<p class="empty">${esc(problem.detail ?? `The silo answered ${response.status}.`)} <a href="#/">Back to the overview.</a></p>`;
    } else {
      const data = await response.json();
      const extra = current.extra
        ? await fetch(current.extra, { headers: { accept: 'application/json' } }).then(r => (r.ok ? r.json() : null)).catch(() => null)
        : null;
      if (mine !== generation) return;
      view.innerHTML = current.render(data, extra);
      view.dataset.loaded = 'true';
    }
    freshness.textContent = 'updated ' + new Date().toTimeString().slice(0, 8);
    freshness.classList.remove('stale');
  } catch (e) {
    if (mine !== generation) return;
    freshness.textContent = 'cannot reach the silo (' + e.message + '); retrying every second';
    freshness.classList.add('stale');
  }
  if (mine === generation) timer = setTimeout(() => poll(mine), pollMs);
}

function restart() {
  clearTimeout(timer);
  generation++;
  view.dataset.loaded = 'false';
  poll(generation);
}

window.addEventListener('hashchange', restart);
restart();
