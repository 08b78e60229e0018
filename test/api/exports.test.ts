/**
 * Every name docs/api.md documents, imported from the BUILT package through its `exports` map (the package
 * imports itself by name, as an app would), and nothing undocumented exported as a value.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

interface Entry {
  specifier: string;
  values: string[];
  types: string[];
}

function names(line: string | undefined): string[] {
  return [...(line ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

export function documentedEntries(markdown: string): Entry[] {
  return markdown
    .split(/^## /m)
    .slice(1)
    .map((section) => {
      const lines = section.split('\n');
      return {
        specifier: names(lines[0])[0]!,
        values: names(lines.find((l) => l.startsWith('Values:'))),
        types: names(lines.find((l) => l.startsWith('Types:'))),
      };
    });
}

const ROOT = resolve('.');
const entries = documentedEntries(readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8'));

describe('public API (built package, through package.json exports)', () => {
  it('documents every entry point of the exports map', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const exported = Object.keys(pkg.exports)
      .filter((k) => k !== './package.json')
      .map((k) => (k === '.' ? 'engram-memory' : `engram-memory/${k.slice(2)}`));
    assert.deepEqual(entries.map((e) => e.specifier).sort(), exported.sort());
  });

  for (const entry of entries) {
    it(`${entry.specifier} exports exactly its documented values, and its types`, async () => {
      const url = import.meta.resolve(entry.specifier);
      const file = fileURLToPath(url);
      assert.ok(file.startsWith(join(ROOT, 'dist')), `${entry.specifier} resolves into dist/ (got ${file})`);
      const module = (await import(url)) as Record<string, unknown>;
      assert.deepEqual(Object.keys(module).sort(), [...entry.values].sort());
      for (const name of entry.values) assert.notEqual(module[name], undefined, name);
      const declarations = file.replace(/\.js$/, '.d.ts');
      assert.ok(existsSync(declarations));
      const text = readFileSync(declarations, 'utf8');
      for (const name of [...entry.values, ...entry.types]) {
        assert.match(text, new RegExp(`\\b${name}\\b`), `${name} is declared by ${entry.specifier}`);
      }
    });
  }
});
