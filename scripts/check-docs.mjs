#!/usr/bin/env node
// Runs the examples of the docs against a real server, so the docs cannot rot:
//   - every `curl` command in ```bash/sh blocks (URL pointed at a server on a random port, failing on HTTP errors),
//   - every ```ts block that imports 'engram-memory' (its `// → expected` comments are checked against stdout),
//   - every ```json MCP client configuration (connected to with the MCP SDK client; remember, then recall).
// Usage: node scripts/check-docs.mjs [file.md ...]   (default: README.md)
// Needs dist/ (npm run build). $ENGRAM_TEST_BIN runs another launcher instead (a .ts/.mts one through tsx).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOC_URL = /http:\/\/(?:127\.0\.0\.1|localhost):8787/g;
const TSX = import.meta.resolve('tsx');

function engramCommand() {
  const override = process.env.ENGRAM_TEST_BIN;
  if (override?.endsWith('.ts') || override?.endsWith('.mts'))
    return [process.execPath, '--import', TSX, override];
  if (override) return [process.execPath, override];
  const bin = join(ROOT, 'bin', 'engram.js');
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  return [process.execPath, bin];
}

/** Fenced blocks of a Markdown file: { lang, body, line }. */
export function fencedBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    const body = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trim().startsWith(fence)) body.push(lines[j++]);
    blocks.push({ lang: open[3].toLowerCase(), body: body.join('\n'), line: i + 1 });
    i = j;
  }
  return blocks;
}

/** Whether bash can parse `text` as complete commands (no open quote or trailing backslash). */
function completeShell(text) {
  return !/\\\s*$/.test(text) && spawnSync('bash', ['-n', '-c', text]).status === 0;
}

/** Shell commands of a block that start with curl; a command runs on until bash can parse it. */
export function curlCommands(body) {
  const commands = [];
  let current = '';
  for (const line of body.split('\n')) {
    if (current === '' && !/^\s*curl\s/.test(line)) continue;
    current += (current ? '\n' : '') + line;
    if (completeShell(current)) {
      commands.push(current);
      current = '';
    }
  }
  if (current) commands.push(current);
  return commands;
}

function run(command, args, options = {}) {
  return spawnSync(command, args, { encoding: 'utf8', timeout: 60_000, ...options });
}

async function startServer(db) {
  const [cmd, ...pre] = engramCommand();
  const child = spawn(
    cmd,
    [...pre, '--db', db, 'serve', '--port', '0', '--embedder', 'none', '--auth', 'keys'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stderr = [];
  createInterface({ input: child.stderr }).on('line', (l) => stderr.push(l));
  const exited = new Promise((r) => child.once('exit', r));
  const url = await new Promise((resolveUrl, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => {
      try {
        const entry = JSON.parse(l);
        if (entry.msg === 'engram server started') resolveUrl(entry.url);
      } catch {}
    });
    exited.then((code) => reject(new Error(`engram serve exited (${code}): ${stderr.join('\n')}`)));
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  return { url, stop };
}

async function checkCurl(command, ctx) {
  const rewritten = command.replace(DOC_URL, ctx.url).replace(/^(\s*)curl\s/, '$1curl --fail-with-body -sS ');
  const res = run('bash', ['-c', rewritten], { cwd: ctx.cwd, env: { ...process.env, ...ctx.env } });
  if (res.status !== 0) throw new Error(`exit ${res.status}: ${res.stdout}${res.stderr}`);
  try {
    const answer = JSON.parse(res.stdout);
    const id = answer?.id ?? answer?.turns?.[0]?.id;
    if (typeof id === 'string' && !ctx.env.MEMORY_ID) ctx.env.MEMORY_ID = id;
  } catch {}
}

function checkTypeScript(code, ctx, n) {
  const dir = join(ROOT, '.cache', 'doc-check');
  mkdirSync(dir, { recursive: true });
  // Inside the package, so that `import ... from 'engram-memory'` resolves to this package itself.
  const file = join(dir, `example-${process.pid}-${n}.mts`);
  writeFileSync(file, code);
  try {
    const res = run(process.execPath, ['--import', TSX, file], { cwd: ctx.cwd });
    if (res.status !== 0) throw new Error(`exit ${res.status}: ${res.stderr}`);
    const out = res.stdout.split('\n');
    let at = 0;
    for (const m of code.matchAll(/\/\/ → (.*)$/gm)) {
      const expected = m[1].trim();
      const found = out.findIndex((l, i) => i >= at && l.trim() === expected);
      if (found < 0) throw new Error(`expected output "${expected}" not printed; got:\n${res.stdout}`);
      at = found + 1;
    }
  } finally {
    rmSync(file, { force: true });
  }
}

async function checkMcp(config, ctx) {
  for (const [name, server] of Object.entries(config.mcpServers ?? {})) {
    let transport;
    if (server.command) {
      if (server.command !== 'engram') throw new Error(`${name}: expected the command "engram"`);
      const args = [...server.args];
      const dbAt = args.indexOf('--db');
      if (dbAt >= 0) args[dbAt + 1] = join(ctx.cwd, 'mcp-stdio.db');
      const [cmd, ...pre] = engramCommand();
      transport = new StdioClientTransport({
        command: cmd,
        args: [...pre, ...args, '--embedder', 'none'],
        stderr: 'pipe',
      });
    } else if (server.url) {
      const headers = Object.fromEntries(
        Object.entries(server.headers ?? {}).map(([k, v]) => [
          k,
          String(v).replace('egk_...', ctx.env.ENGRAM_KEY),
        ]),
      );
      transport = new StreamableHTTPClientTransport(new URL(server.url.replace(DOC_URL, ctx.url)), {
        requestInit: { headers },
      });
    } else {
      throw new Error(`${name}: neither a command nor a url`);
    }
    const client = new Client({ name: 'check-docs', version: '1.0.0' });
    await client.connect(transport);
    try {
      const tools = (await client.listTools()).tools
        .map((t) => t.name)
        .sort()
        .join(',');
      if (tools !== 'ask,forget,get_context,list_memories,memory_history,profile,recall,remember')
        throw new Error(`tools: ${tools}`);
      const fact = `The doc check ran at ${ctx.started}`;
      const stored = await client.callTool({ name: 'remember', arguments: { text: fact } });
      if (stored.isError) throw new Error(JSON.stringify(stored.content));
      const recalled = await client.callTool({
        name: 'recall',
        arguments: { query: 'when did the doc check run?' },
      });
      if (!JSON.stringify(recalled.content).includes(fact)) throw new Error('recall did not return the fact');
    } finally {
      await client.close();
    }
  }
}

export async function checkDocs(files) {
  const tmp = mkdtempSync(join(tmpdir(), 'engram-doc-check-'));
  const db = join(tmp, 'engram.db');
  const results = { curl: 0, ts: 0, mcp: 0, failures: [] };
  let server;
  try {
    const [cmd, ...pre] = engramCommand();
    const created = run(cmd, [
      ...pre,
      '--db',
      db,
      '--json',
      'keys',
      'create',
      '--tenant',
      'docs',
      '--role',
      'admin',
    ]);
    if (created.status !== 0) throw new Error(`engram keys create failed: ${created.stderr}`);
    const key = JSON.parse(created.stdout).secret;
    server = await startServer(db);
    const ctx = { url: server.url, cwd: tmp, env: { ENGRAM_KEY: key }, started: new Date().toISOString() };
    for (const file of files) {
      const path = resolve(ROOT, file);
      if (!existsSync(path)) continue;
      let n = 0;
      for (const block of fencedBlocks(readFileSync(path, 'utf8'))) {
        const where = `${file}:${block.line}`;
        const attempt = async (kind, fn) => {
          try {
            await fn();
            results[kind] += 1;
          } catch (e) {
            results.failures.push(`${where} (${kind}): ${e.message}`);
          }
        };
        if (['bash', 'sh', 'shell', 'console'].includes(block.lang)) {
          for (const command of curlCommands(block.body))
            await attempt('curl', () => checkCurl(command, ctx));
        } else if (
          ['ts', 'typescript', 'js', 'javascript'].includes(block.lang) &&
          /from 'engram-memory(\/[\w-]+)?'/.test(block.body)
        ) {
          await attempt('ts', () => checkTypeScript(block.body, ctx, n++));
        } else if (block.lang === 'json' && block.body.includes('mcpServers')) {
          await attempt('mcp', () => checkMcp(JSON.parse(block.body), ctx));
        }
      }
    }
  } finally {
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2);
  const results = await checkDocs(files.length > 0 ? files : ['README.md']);
  for (const f of results.failures) process.stderr.write(`FAIL ${f}\n`);
  const summary = `checked ${results.curl} curl, ${results.ts} TypeScript and ${results.mcp} MCP examples`;
  if (results.failures.length > 0) {
    process.stderr.write(`${summary}: ${results.failures.length} failed\n`);
    process.exit(1);
  }
  if (results.curl + results.ts + results.mcp === 0) {
    process.stderr.write('no examples found\n');
    process.exit(1);
  }
  process.stdout.write(`${summary}: all passed\n`);
}
