/**
 * Maintenance of a tenant with hundreds of long memories (issue 12): one `POST /v1/maintain` plans merges,
 * archives and session summaries for all of them and commits them as one transaction (issue 11). Before it
 * ran in slices it held the event loop for ~0.5 s here (~1.3 s on larger tenants); now `/healthz` answers
 * throughout, and a reader sees the tenant as it was before the run or after it, never half-way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { monitorLoopBlocking, timed } from '../helpers/loop-block.js';
import { api, startTestServer, type TestServer } from '../server/helpers.js';

const WORDS =
  'we walked along the harbour after dinner and talked about the garden the new job and the trip to the mountains next spring my cousin repairs old bicycles in a workshop near the station'.split(
    ' ',
  );
const SESSIONS = 20;
const TURNS = 10;
const NOTES = 200;
const CHARS = 6_000;

/** `chars` characters of plain English sentences, different for each seed (a linear congruential walk). */
function text(chars: number, seed: number): string {
  let t = '';
  let x = seed + 1;
  for (let i = 0; t.length < chars; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    t += `${WORDS[x % WORDS.length]}${i % 13 === 12 ? '. ' : ' '}`;
  }
  return t.slice(0, chars);
}

/** What a reader sees of the tenant: counts that every change of the run moves. */
function snapshot(stats: { memories: number; byStatus: unknown; byKind: unknown; historyEntries: number }) {
  return JSON.stringify([stats.memories, stats.byStatus, stats.byKind, stats.historyEntries]);
}

describe('maintain on a tenant of hundreds of long memories', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ logLevel: 'silent' });
    for (let c = 0; c < SESSIONS; c++) {
      const res = await api(s.url, 'POST', '/v1/conversations', {
        body: {
          user: 'ann',
          session: `s${c}`,
          messages: Array.from({ length: TURNS }, (_, i) => ({
            speaker: i % 2 ? 'Ann' : 'Bo',
            text: text(CHARS, c * TURNS + i),
            at: new Date(Date.UTC(2024, 0, 1 + c, 10, i)).toISOString(),
          })),
        },
      });
      assert.equal(res.status, 201, res.text.slice(0, 300));
    }
    // Old notes that matter little (archived by the run); every tenth one twice, in other letter case (merged).
    for (let b = 0; b < NOTES; b += 100) {
      const memories = Array.from({ length: 100 }, (_, i) => {
        const n = b + i;
        const base = text(CHARS, 1_000 + n - (n % 10 === 1 ? 1 : 0));
        return {
          user: 'ann',
          kind: 'note',
          importance: 0.1,
          occurredAt: '2024-01-01T00:00:00Z',
          text: n % 10 === 1 ? base.toUpperCase() : base,
        };
      });
      const res = await api(s.url, 'POST', '/v1/memories/batch', { body: { memories } });
      assert.equal(res.status, 201, res.text.slice(0, 300));
    }
  });
  after(async () => {
    await s.stop();
  });

  test('answers /healthz throughout and commits all at once', async (t) => {
    const beforeRun = snapshot((await api(s.url, 'GET', '/v1/stats')).json);
    const loop = monitorLoopBlocking();
    const run = timed(() => api(s.url, 'POST', '/v1/maintain', { body: { now: '2027-01-01T00:00:00Z' } }));
    let answered = false;
    void run.finally(() => {
      answered = true;
    });
    const probes: number[] = [];
    const seen = new Set<string>();
    while (!answered || probes.length < 2) {
      const probe = await timed(() => fetch(`${s.url}/healthz`).then((r) => r.status));
      assert.equal(probe.value, 200);
      probes.push(probe.wallMs);
      seen.add(snapshot((await api(s.url, 'GET', '/v1/stats')).json));
    }
    const { value: res, wallMs, ownMs } = await run;
    const { maxBlockMs, maxLatenessMs } = loop.stop();
    const sorted = [...probes].sort((a, b) => a - b);
    t.diagnostic(
      `${ownMs.toFixed(0)} ms of work (wall ${wallMs.toFixed(0)} ms), longest block ${maxBlockMs.toFixed(1)} ms ` +
        `(timer lateness ${maxLatenessMs.toFixed(0)} ms); ${probes.length} healthz probes, median ` +
        `${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms`,
    );
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.equal(res.json.summaries.length, SESSIONS);
    assert.equal(res.json.merged.length, NOTES / 10);
    assert.ok(res.json.archived.length >= NOTES - NOTES / 10, `archived ${res.json.archived.length}`);
    const afterRun = snapshot((await api(s.url, 'GET', '/v1/stats')).json);
    assert.notEqual(afterRun, beforeRun);
    // One transaction: readers during the run saw the tenant before it or after it, nothing in between.
    for (const state of seen) assert.ok(state === beforeRun || state === afterRun, `half-way: ${state}`);
    assert.ok(maxBlockMs < 100, `maintain blocked the event loop for ${maxBlockMs.toFixed(1)} ms`);
  });
});
