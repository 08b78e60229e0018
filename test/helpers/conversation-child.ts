// Child process for the crash test: ingests conversations of TURNS turns one after another and prints each
// session's name once addConversation has returned (acknowledged).
import { open } from '../../src/index.js';

const [db, count, turns] = process.argv.slice(2);
const e = await open({ path: db!, embedder: 'none', actor: 'crash-child' });
for (let s = 0; s < Number(count); s++) {
  const session = `session-${s}`;
  await e.addConversation({
    user: 'crash',
    session,
    messages: Array.from({ length: Number(turns) }, (_, i) => ({
      speaker: i % 2 ? 'Bo' : 'Ann',
      role: 'user',
      text: `${session} turn ${i}: I moved to city number ${s * 100 + i} and I love the bakery there`,
      at: new Date(Date.UTC(2024, 0, 1, 0, s, i)).toISOString(),
    })),
  });
  process.stdout.write(`${session}\n`);
}
await e.close();
