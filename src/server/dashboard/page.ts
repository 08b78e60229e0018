/**
 * The dashboard: one self-contained page (no build step, no external assets) over the REST API. Memory text
 * is untrusted, so it is only ever inserted with textContent, never as HTML. The key stays in sessionStorage.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Engram dashboard</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #222; }
  header { display: flex; gap: .5rem; align-items: baseline; flex-wrap: wrap; }
  h1 { font-size: 1.3rem; margin: 0 1rem 0 0; }
  input, button { font: inherit; padding: .3rem .5rem; }
  input[type=search] { flex: 1; min-width: 12rem; }
  #stats { color: #555; margin: .75rem 0; }
  #error { color: #b00020; white-space: pre-wrap; }
  ul { list-style: none; padding: 0; }
  li { border-bottom: 1px solid #ddd; padding: .5rem 0; }
  .meta { color: #666; font-size: .85rem; }
  .text { white-space: pre-wrap; }
</style>
</head>
<body>
<header>
  <h1>Engram</h1>
  <input id="key" type="password" placeholder="API key (egk_…), empty in development mode" size="34" autocomplete="off">
  <input id="user" placeholder="user" size="10">
</header>
<form id="search-form">
  <p><input id="query" type="search" placeholder="Search memories…"> <button>Search</button>
  <button type="button" id="list">List newest</button></p>
</form>
<div id="stats"></div>
<div id="error"></div>
<ul id="results"></ul>
<p class="meta">API: <a href="/openapi.json">/openapi.json</a></p>
<script>
const $ = (id) => document.getElementById(id);
$('key').value = sessionStorage.getItem('engram-key') || '';
$('user').value = sessionStorage.getItem('engram-user') || 'default';
async function call(method, path, body) {
  sessionStorage.setItem('engram-key', $('key').value);
  sessionStorage.setItem('engram-user', $('user').value);
  const headers = { 'content-type': 'application/json' };
  if ($('key').value) headers.authorization = 'Bearer ' + $('key').value.trim();
  const res = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error ? json.error.code + ': ' + json.error.message : res.statusText);
  return json;
}
function show(items) {
  const ul = $('results');
  ul.replaceChildren();
  if (items.length === 0) { const li = document.createElement('li'); li.textContent = 'Nothing found.'; ul.append(li); }
  for (const { memory, score } of items) {
    const li = document.createElement('li');
    const text = document.createElement('div');
    text.className = 'text';
    text.textContent = memory.text;
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = [memory.kind, memory.speaker, memory.occurredAt.slice(0, 16).replace('T', ' '),
      memory.session && 'session ' + memory.session, score !== undefined && 'score ' + score.toFixed(3), memory.id]
      .filter(Boolean).join(' · ');
    li.append(text, meta);
    ul.append(li);
  }
}
async function run(fn) {
  $('error').textContent = '';
  try { await fn(); } catch (e) { $('error').textContent = e.message; }
}
async function stats() {
  const s = await call('GET', '/v1/stats');
  const who = await call('GET', '/v1/whoami');
  $('stats').textContent = 'Tenant ' + who.tenant + ' (' + who.role + '): ' + s.memories + ' memories, ' + s.users +
    ' users, ' + s.sessions + ' sessions · ' + Object.entries(s.byKind).map(([k, n]) => n + ' ' + k).join(', ');
}
async function list() {
  const page = await call('GET', '/v1/memories?limit=50&user=' + encodeURIComponent($('user').value));
  show(page.items.map((memory) => ({ memory })));
}
$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  run(async () => {
    const q = $('query').value.trim();
    if (!q) return list();
    const r = await call('POST', '/v1/search', { user: $('user').value, query: q, k: 20, reinforce: false });
    show(r.hits.map((h) => ({ memory: h.memory, score: h.score })));
  });
});
$('list').addEventListener('click', () => run(list));
$('key').addEventListener('change', () => run(stats));
run(async () => { await stats(); await list(); });
</script>
</body>
</html>
`;
