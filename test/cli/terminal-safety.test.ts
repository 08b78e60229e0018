/** Stored text never reaches the operator's terminal as live escape sequences (issue 12, item 6). */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { engram, engramJson, tempDir } from '../helpers/cli.js';

// ANSI colour, OSC 52 (clipboard write), OSC 8 link, a C1 CSI, a bidi override, a carriage return, DEL.
const HOSTILE =
  'Maya likes tea \u001b[31mRED\u001b[0m \u001b]52;c;ZXZpbA==\u0007 \u001b]8;;http://x.example\u001b\\link\u001b]8;;\u001b\\ ' +
  '\u009b2J \u202Egnp.exe\u202C \r overwritten \u007f end';
const RAW = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

test('human output shows escape sequences and bidi overrides as visible text; JSON stays exact', () => {
  const db = join(tempDir(), 'e.db');
  const env = { ENGRAM_DB: db };
  const added = engramJson<{ id: string; text: string }>(
    ['--embedder', 'none', 'add', '--user', 'maya', HOSTILE],
    { env },
  );
  assert.equal(added.text, HOSTILE);
  for (const args of [
    ['list', '--user', 'maya'],
    ['search', '--user', 'maya', 'tea'],
    ['get', added.id],
    ['history', added.id],
    ['context', '--user', 'maya', 'tea'],
    ['export'],
  ]) {
    const r = engram(['--embedder', 'none', ...args], { env });
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stdout, RAW, args.join(' '));
    if (args[0] !== 'export') assert.match(r.stdout, /\\(x1b|u001b)\[31mRED/, args.join(' '));
    const json = engram(['--embedder', 'none', '--json', ...args], { env });
    assert.doesNotMatch(json.stdout, RAW, `--json ${args.join(' ')}`);
    assert.ok(json.stdout.length > 0);
  }
  const got = engramJson<{ text: string }>(['--embedder', 'none', 'get', added.id], { env });
  assert.equal(got.text, HOSTILE);
  const exported = engram(['--embedder', 'none', 'export'], { env }).stdout.trim();
  assert.equal((JSON.parse(exported) as { text: string }).text, HOSTILE);
  const err = engram(['--embedder', 'none', 'get', `nope\u001b[2J`], { env });
  assert.notEqual(err.status, 0);
  assert.doesNotMatch(err.stderr, RAW);
});
