/**
 * Several `engram serve` processes on one PostgreSQL schema, written to by many clients at once: the
 * workload of test/server/many-servers.test.ts (small) and scripts/many-servers.ts (the issue's figure).
 */
import { randomBytes } from 'node:crypto';
import { type ServeChild, spawnServe } from '../server/child.js';
import { api } from '../server/helpers.js';

export interface WriteLoad {
  servers: ServeChild[];
  key: string;
  clients: number;
  writesPerClient: number;
}

export interface WriteOutcome {
  /** id → text of every write a server acknowledged (201). */
  acknowledged: Map<string, string>;
  failures: string[];
  seconds: number;
}

/** Each client writes to its own server (round robin) one memory at a time; texts are unique. */
export async function writeConcurrently(load: WriteLoad): Promise<WriteOutcome> {
  const acknowledged = new Map<string, string>();
  const failures: string[] = [];
  const run = randomBytes(3).toString('hex');
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: load.clients }, async (_, c) => {
      const server = load.servers[c % load.servers.length]!;
      for (let i = 0; i < load.writesPerClient; i++) {
        const text = `run ${run} client ${c} write ${i}: note number ${c * load.writesPerClient + i}`;
        const res = await api(server.url, 'POST', '/v1/memories', {
          key: load.key,
          body: { user: `user-${c % 5}`, text },
        });
        if (res.status === 201) acknowledged.set(res.json.id, text);
        else failures.push(`${res.status} ${res.text.slice(0, 200)}`);
      }
    }),
  );
  return { acknowledged, failures, seconds: (performance.now() - t0) / 1000 };
}

/** Every memory of the users the load wrote to, through one server's list endpoint (all pages). */
export async function listAll(
  server: ServeChild,
  key: string,
  users: string[],
): Promise<{ id: string; text: string }[]> {
  const out: { id: string; text: string }[] = [];
  for (const user of users) {
    let cursor: string | null = null;
    do {
      const q: string = `/v1/memories?user=${encodeURIComponent(user)}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await api(server.url, 'GET', q, { key });
      if (res.status !== 200) throw new Error(`list failed: ${res.status} ${res.text}`);
      out.push(...res.json.items.map((m: { id: string; text: string }) => ({ id: m.id, text: m.text })));
      cursor = res.json.nextCursor;
    } while (cursor);
  }
  return out;
}

/** Starts `count` servers on one database (ephemeral ports, keys required). */
export async function startServers(db: string, count: number, extra: string[] = []): Promise<ServeChild[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      spawnServe([
        '--db',
        db,
        '--port',
        '0',
        '--embedder',
        'none',
        '--auth',
        'keys',
        '--rate-limit',
        '0',
        ...extra,
      ]),
    ),
  );
}

/** Checks the acknowledged writes against what is stored: each present exactly once, nothing else. */
export function verifyWrites(
  outcome: WriteOutcome,
  stored: { id: string; text: string }[],
): { missing: number; duplicated: number; unexpected: number } {
  const byText = new Map<string, number>();
  for (const m of stored) byText.set(m.text, (byText.get(m.text) ?? 0) + 1);
  const ids = new Set(stored.map((m) => m.id));
  let missing = 0;
  let duplicated = 0;
  for (const [id, text] of outcome.acknowledged) {
    if (!ids.has(id)) missing++;
    if ((byText.get(text) ?? 0) > 1) duplicated++;
  }
  const unexpected = stored.length - new Set(stored.map((m) => m.text)).size;
  return { missing, duplicated, unexpected };
}
