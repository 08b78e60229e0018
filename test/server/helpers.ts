/** Starts a real server on 127.0.0.1:0 over a real SQLite file in a temp dir, and talks to it over HTTP. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, type ServerConfig } from '../../src/server/config.js';
import { openKeyStore } from '../../src/server/key-store.js';
import type { KeyStore, Role } from '../../src/server/keys.js';
import { type RunningServer, startServer } from '../../src/server/start.js';
import { testDb } from '../helpers/backend.js';

export interface TestServer extends RunningServer {
  dir: string;
  db: string;
  /** Every JSON log line the server wrote. */
  logs: string[];
  /** A second connection to the key table, as `engram keys` would use. */
  keys: KeyStore;
  key(tenant: string, role: Role): Promise<string>;
  stop(): Promise<void>;
}

/**
 * `node bin/engram.js` (the compiled CLI; the test runner builds dist/ first). $ENGRAM_TEST_BIN names another
 * launcher script to run instead (a .ts/.mts one is loaded through tsx).
 */
export function engramBin(): { command: string; args: string[] } {
  const override = process.env.ENGRAM_TEST_BIN;
  if (override?.endsWith('.ts') || override?.endsWith('.mts')) {
    return { command: process.execPath, args: ['--import', import.meta.resolve('tsx'), override] };
  }
  if (override) return { command: process.execPath, args: [override] };
  return { command: process.execPath, args: [join(import.meta.dirname, '..', '..', 'bin', 'engram.js')] };
}

export function tempDir(prefix = 'engram-server-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTestServer(
  overrides: Partial<ServerConfig> = {},
  dir = tempDir(),
): Promise<TestServer> {
  const db = overrides.db ?? testDb(dir);
  const logs: string[] = [];
  const config: ServerConfig = {
    ...DEFAULT_CONFIG,
    embedder: 'none',
    port: 0,
    logLevel: 'info',
    ...overrides,
    db,
  };
  const server = await startServer(config, { logStream: { write: (line: string) => void logs.push(line) } });
  const keys = await openKeyStore(db);
  return {
    ...server,
    dir,
    db,
    logs,
    keys,
    key: async (tenant, role) => (await keys.create({ tenant, role })).secret,
    async stop() {
      await server.close();
      await keys.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
  json: any;
}

export interface ApiOptions {
  key?: string;
  body?: unknown;
  /** Sent as is (for malformed JSON and JSONL). */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export async function api(
  base: string,
  method: string,
  path: string,
  options: ApiOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] = options.contentType ?? 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}
