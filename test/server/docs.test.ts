import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = tempDir('engram-docs-');
after(() => rmSync(dir, { recursive: true, force: true }));

function checkDocs(files: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-docs.mjs'), ...files], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

test('the README examples ("Use it from your app" included) run as written against a real server', () => {
  const res = checkDocs(['README.md']);
  assert.equal(res.status, 0, res.stderr);
  const m = /checked (\d+) curl, (\d+) TypeScript and (\d+) MCP examples: all passed/.exec(res.stdout);
  assert.ok(m, res.stdout);
  assert.ok(Number(m[1]) >= 10, 'the curl examples ran');
  assert.ok(Number(m[2]) >= 1, 'the library example ran');
  assert.equal(Number(m[3]), 2, 'both MCP configurations connected');
});

test('a broken example fails the check, naming the file and line', () => {
  const doc = join(dir, 'broken.md');
  writeFileSync(
    doc,
    [
      '# Broken',
      '',
      '```bash',
      'curl -s http://127.0.0.1:8787/v1/search -H "Authorization: Bearer $ENGRAM_KEY" \\',
      '  -H \'Content-Type: application/json\' -d \'{"user": "a"}\'',
      '```',
      '',
      '```ts',
      "import { open } from 'engram-memory';",
      "const m = await open({ path: 'x.db', embedder: 'none' });",
      'console.log(await m.stats().then((s) => s.memories)); // → 42',
      'await m.close();',
      '```',
    ].join('\n'),
  );
  const res = checkDocs([doc]);
  assert.equal(res.status, 1);
  assert.match(res.stderr, /broken\.md:3 \(curl\): exit 22: .*INVALID_INPUT/);
  assert.match(res.stderr, /broken\.md:8 \(ts\): expected output "42" not printed/);
});
