/**
 * The figure: N `engram serve` processes on one PostgreSQL schema, C concurrent clients each writing W
 * memories (round robin over the servers); then every acknowledged write must be stored exactly once.
 *
 *   node --import tsx scripts/many-servers.ts [servers=3] [clients=16] [writes per client=3000] [postgres URL]
 *
 * Needs the compiled CLI (npx tsc -p tsconfig.build.json). Prints one JSON line; exits 1 on any loss.
 */
import { randomBytes } from 'node:crypto';
import { openKeyStore } from '../src/server/key-store.js';
import { dropSchema } from '../src/store/postgres/scratch-schema.js';
import { withSchema } from '../src/store/postgres/url.js';
import { listAll, startServers, verifyWrites, writeConcurrently } from '../test/helpers/many-servers.js';

const [servers = '3', clients = '16', writes = '3000', base = 'postgres://postgres@127.0.0.1:5432/test'] =
  process.argv.slice(2);
const db = withSchema(base, `engram_many_${randomBytes(4).toString('hex')}`);
const children = await startServers(db, 1);
const keys = await openKeyStore(db);
const key = (await keys.create({ tenant: 'load', role: 'write' })).secret;
await keys.close();
children.push(...(await startServers(db, Number(servers) - 1)));
try {
  const clientCount = Number(clients);
  const outcome = await writeConcurrently({
    servers: children,
    key,
    clients: clientCount,
    writesPerClient: Number(writes),
  });
  const users = Array.from({ length: Math.min(5, clientCount) }, (_, i) => `user-${i}`);
  const stored = await listAll(children[0]!, key, users);
  const check = verifyWrites(outcome, stored);
  const result = {
    servers: children.length,
    clients: clientCount,
    writesPerClient: Number(writes),
    attempted: clientCount * Number(writes),
    acknowledged: outcome.acknowledged.size,
    failed: outcome.failures.length,
    firstFailures: outcome.failures.slice(0, 3),
    stored: stored.length,
    ...check,
    seconds: Math.round(outcome.seconds),
    writesPerSecond: Math.round(outcome.acknowledged.size / outcome.seconds),
  };
  console.log(JSON.stringify(result));
  if (
    check.missing > 0 ||
    check.duplicated > 0 ||
    check.unexpected > 0 ||
    stored.length !== outcome.acknowledged.size
  )
    process.exitCode = 1;
} finally {
  for (const c of children) c.child.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exited));
  await dropSchema(db);
}
