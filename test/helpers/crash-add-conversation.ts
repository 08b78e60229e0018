import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { open } from '../../src/index.js';

const CHILD = join('test', 'helpers', 'conversation-writer-child.ts');
const TURNS = 60;

export interface CrashBackend {
  /** A fresh, empty database spec (a file path or a URL) that `open({ path })` accepts. */
  create(): Promise<string>;
  /** Drops what `create` made. */
  destroy?(spec: string): Promise<void>;
}

/**
 * SIGKILL during addConversation: afterwards each conversation is wholly there (all its turns, its fact, each
 * with history) or wholly absent, and every conversation the child reported as committed is there. Written
 * against a database spec so that every backend runs the same test.
 */
export function crashDuringAddConversation(name: string, backend: CrashBackend): void {
  it(`${name}: a SIGKILL during addConversation leaves each conversation whole or absent`, async () => {
    const spec = await backend.create();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, spec, String(TURNS)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let acknowledged = -1;
      let err = '';
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('close', (_code, signal) => resolve(signal)),
      );
      await new Promise<void>((resolve, reject) => {
        let buf = '';
        child.stdout!.on('data', (d: Buffer) => {
          buf += d.toString();
          const lines = buf.split('\n');
          buf = lines.pop()!;
          for (const line of lines) acknowledged = Math.max(acknowledged, Number(line.split(' ')[1]));
          // Killed while it writes the fourth conversation (or plans it: either way one is in flight).
          if (acknowledged >= 2) {
            child.kill('SIGKILL');
            resolve();
          }
        });
        child.on('close', () => reject(new Error(`writer exited early: ${err}`)));
      });
      assert.equal(await exited, 'SIGKILL');

      const e = await open({ path: spec, embedder: 'none' });
      try {
        const all = [];
        let cursor: string | null = null;
        do {
          const page = await e.list({
            user: 'crash',
            includeArchived: true,
            includeDeleted: true,
            includeSuperseded: true,
            limit: 1000,
            ...(cursor ? { cursor } : {}),
          });
          all.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        const turnsBySession = new Map<string, number>();
        for (const m of all.filter((m) => m.kind === 'turn')) {
          turnsBySession.set(m.session!, (turnsBySession.get(m.session!) ?? 0) + 1);
        }
        for (const [session, n] of turnsBySession) assert.equal(n, TURNS, `session ${session} is partial`);
        for (let i = 0; i <= acknowledged; i++)
          assert.ok(turnsBySession.has(`s${i}`), `acknowledged s${i} lost`);
        const facts = all.filter((m) => m.kind === 'fact');
        for (const session of turnsBySession.keys()) {
          const town = `Town${session.slice(1)}`;
          assert.ok(
            facts.some((f) => f.text.includes(town)),
            `the fact of ${session} is missing`,
          );
        }
        assert.equal(facts.length, turnsBySession.size, 'a fact without its conversation');
        for (const m of all) assert.ok((await e.history(m.id)).length >= 1, `no history for ${m.id}`);
      } finally {
        await e.close();
      }
    } finally {
      await backend.destroy?.(spec);
    }
  });
}
