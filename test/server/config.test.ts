import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  CONFIG_FIELDS,
  configTableMarkdown,
  DEFAULT_CONFIG,
  isLoopback,
  resolveConfig,
} from '../../src/server/config.js';
import { tempDir } from './helpers.js';

const dir = tempDir('engram-config-');
after(() => rmSync(dir, { recursive: true, force: true }));

test('defaults: 127.0.0.1:8787, ./data/engram.db, auto auth', () => {
  const { config, sources, configFile } = resolveConfig({ env: {}, cwd: dir });
  assert.deepEqual(config, DEFAULT_CONFIG);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 8787);
  assert.equal(config.db, './data/engram.db');
  assert.equal(configFile, null);
  assert.ok(Object.values(sources).every((s) => s === 'default'));
});

test('precedence: flags > environment > config file > defaults', () => {
  const file = join(dir, 'engram.config.json');
  writeFileSync(
    file,
    JSON.stringify({ port: 9001, host: '127.0.0.2', rateLimit: 10, mcp: false, db: 'store/x.db' }),
  );
  const { config, sources } = resolveConfig({
    cwd: dir,
    env: { ENGRAM_PORT: '9002', ENGRAM_HOST: '127.0.0.3' },
    flags: { port: '9003' },
  });
  assert.equal(config.port, 9003);
  assert.equal(sources.port, 'flag');
  assert.equal(config.host, '127.0.0.3');
  assert.equal(sources.host, 'env');
  assert.equal(config.rateLimit, 10);
  assert.equal(config.mcp, false);
  assert.equal(sources.mcp, 'file');
  // A relative db path in the file is relative to the file.
  assert.equal(config.db, join(dir, 'store/x.db'));
  assert.equal(config.logLevel, 'info');
  rmSync(file);
});

test('an explicit config file must exist; --config beats $ENGRAM_CONFIG', () => {
  assert.throws(() => resolveConfig({ cwd: dir, env: {}, configFile: 'missing.json' }), {
    code: 'NOT_FOUND',
  });
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  writeFileSync(a, '{"port": 1111}');
  writeFileSync(b, '{"port": 2222}');
  assert.equal(resolveConfig({ cwd: dir, env: { ENGRAM_CONFIG: b }, configFile: a }).config.port, 1111);
  assert.equal(resolveConfig({ cwd: dir, env: { ENGRAM_CONFIG: b } }).config.port, 2222);
});

test('bad values name their source and what is expected', () => {
  const bad: [Parameters<typeof resolveConfig>[0], RegExp][] = [
    [{ env: { ENGRAM_PORT: 'eighty' } }, /ENGRAM_PORT.*whole number/],
    [{ env: { ENGRAM_PORT: '70000' } }, /at most 65535/],
    [{ env: {}, flags: { auth: 'maybe' } }, /--auth.*auto, keys, none/],
    [{ env: { ENGRAM_MCP: 'perhaps' } }, /ENGRAM_MCP.*true or false/],
    [{ env: { ENGRAM_BODY_LIMIT: '10' } }, />= 1024/],
  ];
  for (const [sources, message] of bad) {
    assert.throws(
      () => resolveConfig({ cwd: dir, ...sources }),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, 'INVALID_INPUT');
        assert.match(e.message, message);
        return true;
      },
    );
  }
  const file = join(dir, 'typo.json');
  writeFileSync(file, '{"prot": 1}');
  assert.throws(() => resolveConfig({ cwd: dir, env: {}, configFile: file }), /Unknown setting\(s\).*prot/);
  writeFileSync(file, '[1]');
  assert.throws(() => resolveConfig({ cwd: dir, env: {}, configFile: file }), /JSON object/);
  writeFileSync(file, '{"port": ');
  assert.throws(() => resolveConfig({ cwd: dir, env: {}, configFile: file }), /Cannot read config file/);
});

test('bool flags and env vars accept the usual spellings', () => {
  assert.equal(resolveConfig({ cwd: dir, env: { ENGRAM_DASHBOARD: 'off' } }).config.dashboard, false);
  assert.equal(resolveConfig({ cwd: dir, env: {}, flags: { dashboard: false } }).config.dashboard, false);
  assert.equal(resolveConfig({ cwd: dir, env: { ENGRAM_MCP: 'yes' } }).config.mcp, true);
});

test('loopback detection', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) assert.equal(isLoopback(h), true, h);
  for (const h of ['0.0.0.0', '::', '192.168.1.2', 'example.com']) assert.equal(isLoopback(h), false, h);
});

test('docs/server.md carries the generated configuration table, so the docs match the code', () => {
  const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'server.md'), 'utf8');
  assert.ok(doc.includes(configTableMarkdown()), 'regenerate the table with configTableMarkdown()');
  for (const f of CONFIG_FIELDS) assert.ok(doc.includes(f.env));
});
