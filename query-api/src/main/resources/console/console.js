// docstream console: the public API with the user's key, no framework, no inline script (CSP script-src 'self').
// The key lives in this tab's sessionStorage and travels only as an Authorization header.
'use strict';

(function () {
  const KEY_STORAGE = 'docstream.console.key';
  const PIPELINE_REFRESH_MS = 3000;
  const CHART_WINDOW_MS = 10 * 60 * 1000;
  const STATUS_POLL_MS = 300;
  const STATUS_POLL_LIMIT_MS = 60000;

  const state = {
    key: null,
    me: null,
    ingestUrl: null,
    panel: 'search',
    lastSearch: null,
    pipelineTimer: null,
    pipelineBusy: false,
    samples: [],
  };

  const $ = (id) => document.getElementById(id);

  // ---- HTTP ----------------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, title, detail) {
      super(detail || title || ('HTTP ' + status));
      this.status = status;
      this.title = title;
    }
  }

  async function call(base, path, options) {
    const init = Object.assign({ method: 'GET', headers: {} }, options || {});
    // Past the browser's HTTP cache (an answer it kept would show an old cache layer and time), but not past
    // docstream's caches: 'no-store' alone would add Cache-Control: no-cache, which makes the search API bypass them.
    init.headers = Object.assign({ Accept: 'application/json', Authorization: 'Bearer ' + state.key,
      'Cache-Control': 'max-age=0' }, init.headers);
    init.cache = 'no-store';
    init.credentials = 'omit';
    init.referrerPolicy = 'no-referrer';
    let response;
    try {
      response = await fetch(base + path, init);
    } catch (e) {
      throw new ApiError(0, 'unreachable', 'The service at ' + (base || location.origin) + ' could not be reached.');
    }
    const text = await response.text();
    let body = null;
    if (text) {
      try { body = JSON.parse(text); } catch (e) { body = null; }
    }
    if (!response.ok) {
      throw new ApiError(response.status, body && body.title, body && body.detail);
    }
    return body;
  }

  const query = (path, options) => call('', path, options);
  const ingest = (path, options) => call(state.ingestUrl, path, options);

  function describe(error) {
    if (error.status === 401) {
      return 'The API key was refused: ' + error.message + ' Check the key and enter it again.';
    }
    if (error.status === 403) {
      return 'This key may not do that: ' + error.message;
    }
    if (error.status === 429) {
      return 'Too many requests for this key; wait a moment. ' + error.message;
    }
    return error.message;
  }

  // ---- small DOM helpers ----------------------------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function show(node, message) {
    node.textContent = message;
    node.hidden = !message;
  }

  function table(node, headers, rows, numeric) {
    node.replaceChildren();
    const head = el('tr');
    headers.forEach((header, i) => head.append(el('th', numeric && numeric[i] ? 'num' : '', header)));
    node.append(head);
    if (rows.length === 0) {
      const empty = el('tr');
      const cell = el('td', 'meta', 'none');
      cell.colSpan = headers.length;
      empty.append(cell);
      node.append(empty);
      return;
    }
    rows.forEach((row) => {
      const tr = el('tr');
      row.forEach((value, i) => {
        const td = el('td', numeric && numeric[i] ? 'num' : '');
        if (value instanceof Node) td.append(value); else td.textContent = value === null || value === undefined ? '-' : String(value);
        tr.append(td);
      });
      node.append(tr);
    });
  }

  const number = (value) => (value === null || value === undefined) ? '-' : Number(value).toLocaleString('en');
  const score = (value) => (value === null || value === undefined) ? '-' : Number(value).toFixed(4);
  /** An ISO-8601 duration as the status report gives it (PT1H, PT5M, PT30S) in words. */
  const duration = (iso) => {
    const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso || '');
    if (!match) return iso;
    return [[match[1], 'h'], [match[2], 'min'], [match[3], 's']].filter(([n]) => n).map(([n, unit]) => n + ' ' + unit).join(' ');
  };
  const millis = (value) => (value === null || value === undefined) ? '-'
    : (value >= 1000 ? (value / 1000).toFixed(2) + ' s' : Math.round(value) + ' ms');

  // ---- key and panels -------------------------------------------------------------------------------------------

  async function settings() {
    const response = await fetch('/console/settings.json', { cache: 'no-store', credentials: 'omit' });
    const body = await response.json();
    state.ingestUrl = body.ingestUrl;
  }

  async function useKey(key) {
    state.key = key;
    try {
      state.me = await query('/api/v1/me');
    } catch (e) {
      state.key = null;
      state.me = null;
      sessionStorage.removeItem(KEY_STORAGE);
      show($('key-message'), describe(e));
      return false;
    }
    sessionStorage.setItem(KEY_STORAGE, key);
    show($('key-message'), '');
    $('key-input').value = '';
    const admin = isAdmin();
    document.querySelectorAll('.tab.admin').forEach((tab) => { tab.hidden = !admin; });
    if (!admin) {
      // Admin panels are not merely hidden for other keys: they leave the page.
      ['panel-pipeline', 'panel-analytics', 'tab-pipeline', 'tab-analytics'].forEach((id) => { const n = $(id); if (n) n.remove(); });
    }
    $('whoami-text').textContent = 'tenant ' + state.me.tenant + ' · key ' + state.me.keyName + ' · ' + state.me.scopes.join(', ');
    $('whoami').hidden = false;
    $('tabs').hidden = false;
    $('panel-key').hidden = true;
    select(state.panel);
    return true;
  }

  function isAdmin() {
    return state.me !== null && state.me.scopes.indexOf('admin') >= 0;
  }

  function forgetKey() {
    sessionStorage.removeItem(KEY_STORAGE);
    location.reload();
  }

  function select(panel) {
    if (!$('panel-' + panel)) panel = 'search';
    state.panel = panel;
    document.querySelectorAll('.tab').forEach((tab) => tab.classList.toggle('active', tab.dataset.panel === panel));
    ['search', 'documents', 'pipeline', 'analytics'].forEach((name) => {
      const node = $('panel-' + name);
      if (node) node.hidden = name !== panel;
    });
    clearInterval(state.pipelineTimer);
    state.pipelineTimer = null;
    if (panel === 'pipeline') {
      refreshPipeline();
      state.pipelineTimer = setInterval(refreshPipeline, PIPELINE_REFRESH_MS);
    }
    if (panel === 'analytics') refreshAnalytics();
  }

  // ---- search ---------------------------------------------------------------------------------------------------

  function searchParams(cursor) {
    const params = new URLSearchParams();
    params.set('q', $('search-q').value);
    params.set('mode', $('search-mode').value);
    params.set('k', $('search-k').value || '10');
    if ($('search-fusion').value) params.set('fusion', $('search-fusion').value);
    $('search-filters').value.split(',').map((f) => f.trim()).filter((f) => f).forEach((f) => params.append('filter', f));
    if ($('search-explain').checked) params.set('explain', 'true');
    if (cursor) params.set('cursor', cursor);
    return params;
  }

  async function search(cursor) {
    const params = searchParams(cursor);
    show($('search-message'), '');
    try {
      const answer = await query('/api/v1/search?' + params.toString());
      renderAnswer(answer, params.get('q'), Boolean(cursor));
    } catch (e) {
      show($('search-message'), describe(e));
    }
  }

  function queryWords(q) {
    const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
    return words.filter((word) => word.length > 1);
  }

  /** The snippet as text nodes with the query's words in <mark>, built node by node (no HTML parsing). */
  function highlighted(snippet, words) {
    const fragment = document.createDocumentFragment();
    if (!words.length) {
      fragment.append(snippet);
      return fragment;
    }
    const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const pattern = new RegExp('(?<![\\p{L}\\p{N}])(' + escaped.join('|') + ')[\\p{L}\\p{N}]*', 'giu');
    let last = 0;
    for (const match of snippet.matchAll(pattern)) {
      fragment.append(snippet.slice(last, match.index));
      fragment.append(el('mark', '', match[0]));
      last = match.index + match[0].length;
    }
    fragment.append(snippet.slice(last));
    return fragment;
  }

  function renderAnswer(answer, q, append) {
    const list = $('search-results');
    if (!append) list.replaceChildren();
    const meta = ['cache: ' + answer.cache, 'took ' + answer.tookMs + ' ms', 'mode: ' + answer.mode,
      answer.degraded.length ? 'degraded: ' + answer.degraded.join(', ') : 'degraded: none'];
    if (answer.explanation) meta.push(fusionText(answer.explanation));
    show($('search-meta'), meta.join(' · '));
    $('search-meta').classList.toggle('degraded', answer.degraded.length > 0);
    const words = queryWords(q);
    answer.results.forEach((result) => {
      const item = el('li', 'result');
      item.dataset.id = result.id;
      item.append(el('p', 'result-title', result.title || result.id));
      const facts = el('div', 'result-facts');
      facts.append(el('span', 'result-id', 'id ' + result.id), el('span', 'result-version', 'version ' + result.version),
        el('span', 'result-score', 'score ' + score(result.score)));
      item.append(facts);
      const snippet = el('p', 'result-snippet');
      snippet.append(highlighted(result.snippet || '', words));
      item.append(snippet);
      if (result.explain) item.append(explainTable(result.explain));
      list.append(item);
    });
    if (!append && answer.results.length === 0) list.append(el('li', 'meta', 'No results.'));
    const more = $('search-more');
    more.hidden = !answer.nextCursor;
    more.dataset.cursor = answer.nextCursor || '';
  }

  function fusionText(explanation) {
    if (!explanation.fusion) return 'not fused (' + explanation.candidates + ' candidates)';
    if (explanation.fusion === 'rrf') return 'fusion rrf, k=' + explanation.rankConstant;
    return 'fusion weighted (' + explanation.normalisation + '), semantic ' + explanation.semanticWeight
      + ' + keyword ' + explanation.keywordWeight;
  }

  function explainTable(parts) {
    const node = el('table', 'explain');
    table(node, ['', 'keyword', 'dense', 'fused'], [
      ['rank', parts.keywordRank, parts.denseRank, ''],
      ['score', score(parts.keywordScore), score(parts.denseScore), score(parts.fusedScore)],
    ], [false, true, true, true]);
    return node;
  }

  // ---- documents ------------------------------------------------------------------------------------------------

  async function lookup(id) {
    show($('lookup-message'), '');
    $('lookup-result').hidden = true;
    const path = '/api/v1/documents/' + encodeURIComponent(id);
    let document_;
    let status = null;
    try {
      document_ = await query(path);
    } catch (e) {
      show($('lookup-message'), e.status === 404 ? 'There is no document "' + id + '" (yet).' : describe(e));
      await showStatusOnly(id);
      return;
    }
    try { status = await ingest(path + '/status'); } catch (e) { status = { state: 'unknown', error: describe(e) }; }
    let chunks = { chunks: [] };
    try { chunks = await query(path + '/chunks'); } catch (e) { /* shown as none */ }
    $('lookup-title').textContent = document_.title || document_.id;
    $('lookup-version').textContent = String(document_.version);
    renderStatus($('lookup-status'), status);
    $('lookup-metadata').textContent = Object.entries(document_.metadata || {}).map(([k, v]) => k + '=' + v).join(', ') || '-';
    $('lookup-body').textContent = document_.body;
    const list = $('lookup-chunks');
    list.replaceChildren();
    chunks.chunks.forEach((chunk) => {
      const item = el('li');
      item.append(el('span', 'meta', chunk.tokens + ' tokens · ' + chunk.hash.slice(0, 12) + ' — '), chunk.text);
      list.append(item);
    });
    if (!chunks.chunks.length) list.append(el('li', 'meta', 'no chunks stored for this version'));
    $('lookup-result').hidden = false;
  }

  async function showStatusOnly(id) {
    try {
      const status = await ingest('/api/v1/documents/' + encodeURIComponent(id) + '/status');
      show($('lookup-message'), $('lookup-message').textContent + ' Status: ' + status.state
        + (status.error ? ' (' + status.error + ')' : ''));
    } catch (e) { /* the read's message stands */ }
  }

  function renderStatus(node, status) {
    node.textContent = status.state + (status.indexedVersion ? ' (indexed version ' + status.indexedVersion + ')' : '')
      + (status.error ? ': ' + status.error : '');
    node.className = 'status ' + status.state;
  }

  function metadata(text) {
    const result = {};
    text.split('\n').map((line) => line.trim()).filter((line) => line).forEach((line) => {
      const eq = line.indexOf('=');
      if (eq > 0) result[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    });
    return result;
  }

  async function postDocument() {
    show($('doc-message'), '');
    $('doc-find').hidden = true;
    const body = { body: $('doc-body').value };
    const id = $('doc-id').value.trim();
    if (id) body.id = id;
    if ($('doc-title').value.trim()) body.title = $('doc-title').value.trim();
    const meta = metadata($('doc-metadata').value);
    if (Object.keys(meta).length) body.metadata = meta;
    let accepted;
    try {
      accepted = await ingest('/api/v1/documents', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      });
    } catch (e) {
      show($('doc-message'), describe(e));
      return;
    }
    const statusNode = $('doc-status');
    statusNode.hidden = false;
    statusNode.dataset.id = accepted.id;
    renderStatus(statusNode, { state: 'pending' });
    const started = Date.now();
    while (Date.now() - started < STATUS_POLL_LIMIT_MS) {
      let status;
      try {
        status = await ingest('/api/v1/documents/' + encodeURIComponent(accepted.id) + '/status');
      } catch (e) {
        show($('doc-message'), describe(e));
        return;
      }
      renderStatus(statusNode, status);
      statusNode.textContent = accepted.id + ': ' + statusNode.textContent
        + ' after ' + ((Date.now() - started) / 1000).toFixed(1) + ' s';
      if (status.state === 'indexed' && status.indexedVersion >= accepted.version) {
        state.lastPosted = { id: accepted.id, title: body.title || body.body.slice(0, 80), token: accepted.consistencyToken };
        $('doc-find').hidden = false;
        return;
      }
      if (status.state === 'failed') return;
      await new Promise((resolve) => setTimeout(resolve, STATUS_POLL_MS));
    }
    show($('doc-message'), 'The document was not indexed within ' + STATUS_POLL_LIMIT_MS / 1000 + ' s; see the Pipeline panel.');
  }

  function findPosted() {
    if (!state.lastPosted) return;
    $('search-q').value = state.lastPosted.title;
    $('search-filters').value = '';
    select('search');
    search(null);
  }

  // ---- pipeline -------------------------------------------------------------------------------------------------

  async function refreshPipeline() {
    if (state.pipelineBusy || !$('panel-pipeline')) return;
    state.pipelineBusy = true;
    try {
      const status = await query('/api/v1/admin/status');
      show($('pipeline-message'), '');
      renderStatusReport(status);
      $('pipeline-updated').textContent = 'updated ' + new Date().toLocaleTimeString('en-GB');
    } catch (e) {
      show($('pipeline-message'), describe(e));
    }
    try {
      renderDlq(await ingest('/api/v1/admin/dlq?limit=20'));
    } catch (e) {
      $('dlq-summary').textContent = 'The DLQ could not be read: ' + describe(e);
    } finally {
      state.pipelineBusy = false;
    }
  }

  function renderStatusReport(status) {
    const d = status.documents;
    table($('pipeline-states'), ['pending', 'indexed', 'failed', 'deleted'],
      [[number(d.pending), number(d.indexed), number(d.failed), number(d.deleted)]], [true, true, true, true]);
    const c = status.counts;
    table($('pipeline-counts'), ['index', 'PostgreSQL', 'topic'],
      [[number(c.index), number(c.postgres), number(c.topic) + (c.topicComplete ? '' : '+')]], [true, true, true]);
    const notes = $('pipeline-explanations');
    notes.replaceChildren();
    if (c.consistent) notes.append(el('li', '', 'all three agree'));
    (c.explanations || []).forEach((text) => notes.append(el('li', '', text)));
    const f = status.freshness;
    $('pipeline-freshness').textContent = f.samples === 0 ? 'no document became searchable in the last ' + duration(f.window)
      : 'accepted to searchable: p50 ' + millis(f.p50Ms) + ' · p99 ' + millis(f.p99Ms) + ' over ' + number(f.samples)
        + ' documents in the last ' + duration(f.window);
    table($('pipeline-groups'), ['group', 'state', 'members', 'lag', 'records/s'],
      status.consumerGroups.map((g) => [g.group, g.state, g.members, number(g.lag),
        g.recordsPerSecond == null ? '–' : g.recordsPerSecond.toFixed(1)]), [false, false, true, true, true]);
    table($('pipeline-breakers'), ['name', 'state'], status.circuitBreakers.map((b) => [b.name, b.state]));
    table($('pipeline-caches'), ['cache', 'L1', 'L2', 'misses', 'hit rate'],
      status.caches.map((k) => [k.cache, number(k.l1), number(k.l2), number(k.misses),
        k.hitRate === null ? '-' : (k.hitRate * 100).toFixed(1) + '%']), [false, true, true, true, true]);
    sample(status);
    drawChart();
  }

  function sample(status) {
    const now = Date.now();
    state.samples.push({ time: now, indexed: status.documents.indexed, p50: status.freshness.p50Ms, p99: status.freshness.p99Ms });
    state.samples = state.samples.filter((s) => now - s.time <= CHART_WINDOW_MS);
  }

  function drawChart() {
    const canvas = $('pipeline-chart');
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 960;
    const height = canvas.clientHeight || 220;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const pad = { left: 56, right: 44, top: 12, bottom: 22 };
    const samples = state.samples;
    const rates = samples.map((s, i) => i === 0 ? null
      : Math.max(0, (s.indexed - samples[i - 1].indexed) / ((s.time - samples[i - 1].time) / 1000)));
    const maxMs = Math.max(1, ...samples.map((s) => s.p99 || 0));
    const maxRate = Math.max(1, ...rates.map((r) => r || 0));
    const now = Date.now();
    // The axis grows with the samples this tab has taken, from one minute up to the whole window.
    const span = Math.min(CHART_WINDOW_MS, Math.max(60000, samples.length ? now - samples[0].time : 0));
    const x = (time) => pad.left + (width - pad.left - pad.right) * (1 - (now - time) / span);
    const y = (value, max) => height - pad.bottom - (height - pad.top - pad.bottom) * (value / max);
    ctx.strokeStyle = '#d9dee7';
    ctx.fillStyle = '#5b6577';
    ctx.font = '11px system-ui, sans-serif';
    ctx.beginPath();
    ctx.moveTo(pad.left, height - pad.bottom);
    ctx.lineTo(width - pad.right, height - pad.bottom);
    ctx.stroke();
    ctx.fillText(Math.round(maxMs) + ' ms', 2, pad.top + 8);
    ctx.fillText(maxRate.toFixed(1) + '/s', width - pad.right + 4, pad.top + 8);
    ctx.fillText('-' + Math.round(span / 60000) + ' min', pad.left, height - 6);
    ctx.fillText('now', width - pad.right - 18, height - 6);
    const line = (values, max, color) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      let started = false;
      samples.forEach((s, i) => {
        const value = values[i];
        if (value === null || value === undefined) { started = false; return; }
        if (started) ctx.lineTo(x(s.time), y(value, max)); else ctx.moveTo(x(s.time), y(value, max));
        started = true;
      });
      ctx.stroke();
    };
    line(samples.map((s) => s.p50), maxMs, '#1f5fbf');
    line(samples.map((s) => s.p99), maxMs, '#b42318');
    line(rates, maxRate, '#137333');
    ctx.fillStyle = '#1f5fbf'; ctx.fillText('p50', pad.left + 16, pad.top + 8);
    ctx.fillStyle = '#b42318'; ctx.fillText('p99', pad.left + 44, pad.top + 8);
    ctx.fillStyle = '#137333'; ctx.fillText('indexed/s', pad.left + 72, pad.top + 8);
  }

  function renderDlq(dlq) {
    $('dlq-summary').textContent = number(dlq.total) + ' entries, ' + number(dlq.pending) + ' pending'
      + (Object.keys(dlq.countsByReason || {}).length ? ' · by reason: '
        + Object.entries(dlq.countsByReason).map(([r, n]) => r + ' ' + n).join(', ') : '');
    $('dlq-redrive-all').disabled = !dlq.pending;
    table($('dlq-entries'), ['time', 'document', 'reason', ''], dlq.entries.map((entry) => {
      let action = 'redriven';
      if (!entry.redriven) {
        action = el('button', 'small', 'Redrive');
        action.type = 'button';
        action.addEventListener('click', () => redrive('/api/v1/admin/dlq/' + encodeURIComponent(entry.id) + '/redrive'));
      }
      return [entry.time, entry.documentId, entry.reason, action];
    }));
  }

  async function redrive(path) {
    try {
      await ingest(path, { method: 'POST' });
    } catch (e) {
      show($('pipeline-message'), describe(e));
    }
    refreshPipeline();
  }

  // ---- analytics ------------------------------------------------------------------------------------------------

  async function refreshAnalytics() {
    show($('analytics-message'), '');
    try {
      const [top, none] = await Promise.all([
        query('/api/v1/admin/analytics/queries?kind=top&limit=15'),
        query('/api/v1/admin/analytics/queries?kind=no-results&limit=15'),
      ]);
      const rows = (answer) => answer.queries.map((q) => [q.query === null ? '(hash ' + q.queryHash.slice(0, 10) + ')' : q.query,
        number(q.searches), number(q.zeroResults), Math.round(q.avgLatencyMs) + ' ms']);
      table($('analytics-top'), ['query', 'searches', 'no results', 'avg'], rows(top), [false, true, true, true]);
      table($('analytics-none'), ['query', 'searches', 'no results', 'avg'], rows(none), [false, true, true, true]);
    } catch (e) {
      show($('analytics-message'), describe(e));
    }
  }

  // ---- wiring ---------------------------------------------------------------------------------------------------

  function wire() {
    $('key-form').addEventListener('submit', (event) => { event.preventDefault(); useKey($('key-input').value.trim()); });
    $('key-forget').addEventListener('click', forgetKey);
    document.querySelectorAll('.tab').forEach((tab) => tab.addEventListener('click', () => select(tab.dataset.panel)));
    $('search-form').addEventListener('submit', (event) => { event.preventDefault(); search(null); });
    $('search-more').addEventListener('click', () => search($('search-more').dataset.cursor));
    $('lookup-form').addEventListener('submit', (event) => { event.preventDefault(); lookup($('lookup-id').value.trim()); });
    $('doc-form').addEventListener('submit', (event) => { event.preventDefault(); postDocument(); });
    $('doc-find').addEventListener('click', findPosted);
    $('dlq-redrive-all').addEventListener('click', () => redrive('/api/v1/admin/dlq/redrive'));
    $('analytics-refresh').addEventListener('click', refreshAnalytics);
    window.addEventListener('resize', () => { if (state.panel === 'pipeline') drawChart(); });
  }

  async function start() {
    wire();
    try {
      await settings();
    } catch (e) {
      show($('key-message'), 'The console settings could not be loaded.');
    }
    const saved = sessionStorage.getItem(KEY_STORAGE);
    if (saved) await useKey(saved);
    document.body.dataset.ready = 'true';
  }

  document.addEventListener('DOMContentLoaded', start);
}());
