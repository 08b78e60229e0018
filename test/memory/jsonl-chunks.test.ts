/**
 * Imports read in chunks (as `POST /v1/import` receives them, src/server/jsonl-body.ts) parse exactly as the
 * whole text does, wherever the chunks are cut: inside a line, at a newline, inside a multi-byte character.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { parseMemoryJsonl } from '../../src/memory/jsonl.js';
import { readTextChunks } from '../../src/server/jsonl-body.js';
import { makeMemory } from '../helpers/memory-factory.js';

const at = '2024-05-01T10:00:00.000Z';
function record(id: string, text: string): string {
  return JSON.stringify(
    makeMemory({
      id,
      tenant: 't',
      user: 'nadia',
      session: null,
      text,
      occurredAt: at,
      createdAt: at,
      updatedAt: at,
    }),
  );
}

const FILE = [
  record('a1', 'Nadia keeps bees on the roof of the café'),
  '',
  record('a2', 'Her brother Tomás fixes accordions 🎹 in Porto'),
  `${record('a3', 'Crlf line')}\r`,
  record('a4', '蜂蜜很好吃'),
].join('\n');

function cutAt(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

describe('JSONL in chunks', () => {
  it('parses the same records wherever the text is cut', async () => {
    const whole = await parseMemoryJsonl([FILE]);
    assert.deepEqual(
      whole.map((m) => m.id),
      ['a1', 'a2', 'a3', 'a4'],
    );
    for (const size of [1, 2, 3, 7, 64, 333, FILE.length]) {
      assert.deepEqual(await parseMemoryJsonl(cutAt(FILE, size)), whole, `chunks of ${size}`);
    }
  });

  it('reports a bad line by its number across chunks', async () => {
    const bad = `${record('b1', 'fine')}\n${record('b2', 'fine too')}\n{"id": oops\n`;
    for (const size of [1, 5, 100, bad.length]) {
      await assert.rejects(parseMemoryJsonl(cutAt(bad, size)), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'INVALID_JSON');
        assert.match(e.message, /^line 3:/);
        return true;
      });
    }
  });

  it('decodes a request body whose network chunks split multi-byte characters', async () => {
    const bytes = Buffer.from(FILE, 'utf8');
    const payload = Object.assign(new PassThrough(), {
      headers: { 'content-length': String(bytes.length) },
    }) as unknown as IncomingMessage;
    const read = readTextChunks(payload, 1_000_000);
    // One byte at a time: every multi-byte character (é, á, 🎹, 蜂) arrives split.
    for (const b of bytes) (payload as unknown as PassThrough).write(Buffer.from([b]));
    (payload as unknown as PassThrough).end();
    const chunks = await read;
    assert.equal(chunks.join(''), FILE);
    assert.deepEqual(await parseMemoryJsonl(chunks), await parseMemoryJsonl([FILE]));
  });

  it('refuses a body over the limit, declared or not', async () => {
    const declared = Object.assign(new PassThrough(), {
      headers: { 'content-length': '2000' },
    }) as unknown as IncomingMessage;
    await assert.rejects(readTextChunks(declared, 1000), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    const undeclared = Object.assign(new PassThrough(), { headers: {} }) as unknown as IncomingMessage;
    const read = readTextChunks(undeclared, 1000);
    (undeclared as unknown as PassThrough).write(Buffer.alloc(600, 97));
    (undeclared as unknown as PassThrough).write(Buffer.alloc(600, 97));
    await assert.rejects(read, { code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
  });
});
