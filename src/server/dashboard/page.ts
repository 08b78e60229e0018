/** The dashboard: one self-contained page (no build step, no external assets) that calls the REST API. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Engram</title></head>
<body><h1>Engram</h1><p>The API is described at <a href="/openapi.json">/openapi.json</a>.</p></body></html>`;
