/**
 * Serves the dashboard (the single-page app in web/, built by Vite into dist/dashboard/ during `npm run
 * build`). File names under /assets/ carry a content hash, so they are cached for a year; index.html is
 * revalidated on every load so a new build is picked up at once. Everything works offline: no CDN.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The same three levels up from src/server/dashboard/ (tsx) and dist/server/dashboard/ (built). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../../dist/dashboard/', import.meta.url));

/**
 * No inline script or style anywhere, no other origin, and no framing (clickjacking of the erase buttons).
 * Scripts may still set element.style properties (CSSOM), which style-src does not restrict.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', DASHBOARD_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Engram</title>
<p>The dashboard has not been built. Run <code>npm run build</code> and restart the server.
The REST API is described at <a href="/openapi.json">/openapi.json</a>.</p>`;

export async function mountDashboard(app: FastifyInstance, dir = DASHBOARD_DIR): Promise<void> {
  if (!existsSync(join(dir, 'index.html'))) {
    app.log.warn({ dir }, 'dashboard not built (npm run build); / shows a notice');
    app.get('/', async (_request, reply) => {
      secure(reply).type('text/html; charset=utf-8');
      return NOT_BUILT;
    });
    return;
  }
  await app.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    index: false,
    cacheControl: false,
    // sendFile('index.html') below goes through this too: only hashed assets may be cached for good.
    setHeaders: (res, path) => {
      res.header('cache-control', path.endsWith('index.html') ? 'no-cache' : IMMUTABLE);
      res.header('x-content-type-options', 'nosniff');
    },
  });
  app.get('/', (_request, reply) => {
    secure(reply);
    return reply.sendFile('index.html', dir, { cacheControl: false });
  });
}
