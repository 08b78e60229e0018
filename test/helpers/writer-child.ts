// Child process for durability tests: adds N memories one by one and prints each id once it is committed.
import { open } from '../../src/index.js';

const [db, user, count, batch] = process.argv.slice(2);
const e = await open({ path: db!, embedder: 'none', actor: `writer-${user}` });
const size = Number(batch ?? 1);
for (let i = 0; i < Number(count); i += size) {
  const inputs = Array.from({ length: Math.min(size, Number(count) - i) }, (_, j) => ({
    user: user!,
    session: `s${Math.floor((i + j) / 50)}`,
    kind: 'turn' as const,
    text: `${user} message ${i + j}: the quick brown fox number ${i + j} jumps over the lazy dog`,
  }));
  const added = await e.addMany(inputs);
  process.stdout.write(`${added.map((m) => m.id).join('\n')}\n`);
}
await e.close();
