// Child process for crash tests: adds conversations one after another to the database given (a path, or any
// spec `open({ path })` accepts) and prints `done <i>` once conversation i is committed.
import { open } from '../../src/index.js';

const [db, turnsArg] = process.argv.slice(2);
const turns = Number(turnsArg ?? 60);
const e = await open({
  path: db!,
  embedder: 'none',
  actor: 'crash-writer',
  now: () => new Date('2023-06-01T00:00:00Z'),
});
for (let i = 0; ; i++) {
  await e.addConversation({
    user: 'crash',
    session: `s${i}`,
    messages: Array.from({ length: turns }, (_, j) => ({
      speaker: j % 2 ? 'Bo' : 'Ann',
      text: j === 0 ? `I live in Town${i}.` : `conversation ${i} message ${j} about the weather and the sea`,
      at: new Date(Date.UTC(2023, 0, 1) + i * 86_400_000 + j * 60_000).toISOString(),
    })),
  });
  process.stdout.write(`done ${i}\n`);
}
