/**
 * Property-based fuzzing of every REST route and every MCP tool from their schemas (fast-check): never a
 * 5xx, every error in the standard shape, and the server's event loop never blocked for 100 ms or more while
 * the fuzzer runs (issue 12, chaos suite).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { memoryRecordSchema } from '../../src/memory/jsonl.js';
import { API_ROUTES } from '../../src/server/app.js';
import { type LoopBlockMonitor, monitorLoopBlocking } from '../helpers/loop-block.js';
import { api, startTestServer, type TestServer } from '../server/helpers.js';
import { arbitraryFor, defsOf, pathologicalString } from './arbitraries.js';
import { CHAOS } from './settings.js';

type Schema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): Schema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
}

function assertStandardError(where: string, status: number, json: unknown, text: string): void {
  // The one documented 5xx a valid request gets: /v1/ask on a server without a chat model.
  const unconfigured =
    status === 501 && (json as { error?: { code?: unknown } } | null)?.error?.code === 'LLM_NOT_CONFIGURED';
  assert.ok(status < 500 || unconfigured, `${where}: ${status} ${text.slice(0, 300)}`);
  if (status >= 400) {
    const e = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    assert.equal(typeof e?.code, 'string', `${where}: error shape of ${text.slice(0, 300)}`);
    assert.equal(typeof e?.message, 'string', `${where}: error message of ${text.slice(0, 300)}`);
  }
}

describe('fuzzing every route and tool from its schema', () => {
  let s: TestServer;
  let key: string;
  const ids: string[] = [];
  let loop: LoopBlockMonitor;
  const healthz: number[] = [];
  let probing = true;
  let prober: Promise<void>;

  before(async () => {
    s = await startTestServer({ auth: 'keys', rateLimit: 0, logLevel: 'silent' });
    key = await s.key('fuzz', 'admin');
    for (const text of ['Alice is allergic to peanuts', 'Bob moved to Lisbon in May 2021', '猫が好きです']) {
      const res = await api(s.url, 'POST', '/v1/memories', {
        key,
        body: { user: 'alice', text, kind: 'fact' },
      });
      ids.push(res.json.id as string);
    }
    loop = monitorLoopBlocking();
    prober = (async () => {
      while (probing) {
        const started = performance.now();
        await fetch(`${s.url}/healthz`).then((r) => r.arrayBuffer());
        healthz.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
  });

  after(async () => {
    probing = false;
    await prober;
    await s.stop();
  });

  const idArb = () =>
    fc.oneof(fc.constantFrom(...ids), fc.string({ minLength: 1, maxLength: 60 }), fc.constant('%00'));

  for (const route of API_ROUTES) {
    test(`${route.method} ${route.url}`, async () => {
      const bodySchema = route.body ? jsonSchema(route.body) : null;
      const querySchema = route.query ? jsonSchema(route.query) : null;
      const body: fc.Arbitrary<unknown> =
        route.operationId === 'import'
          ? fc
              .array(
                fc.oneof(
                  arbitraryFor(jsonSchema(memoryRecordSchema), {}).map((r) => JSON.stringify(r)),
                  pathologicalString,
                ),
                { minLength: 1, maxLength: 3 },
              )
              .map((lines) => lines.join('\n'))
          : bodySchema
            ? arbitraryFor(bodySchema, defsOf(bodySchema))
            : fc.constant(undefined);
      const query = querySchema ? arbitraryFor(querySchema, defsOf(querySchema)) : fc.constant({});
      await fc.assert(
        fc.asyncProperty(body, query, idArb(), async (b, q, id) => {
          let path = route.url.replace(':id', encodeURIComponent(id));
          const params = new URLSearchParams();
          if (q && typeof q === 'object') {
            for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
          }
          if ([...params].length > 0) path += `?${params}`;
          const options =
            route.operationId === 'import'
              ? { key, raw: b as string, contentType: 'application/x-ndjson' }
              : b === undefined
                ? { key }
                : { key, raw: JSON.stringify(b) };
          const t0 = performance.now();
          const res = await api(s.url, route.method, path, options);
          const took = performance.now() - t0;
          if (took > 80 && process.env.ENGRAM_CHAOS_DEBUG) {
            process.stderr.write(
              `SLOW ${took.toFixed(0)} ms end ${performance.now().toFixed(0)} ${route.method} ${path.slice(0, 80)} ${JSON.stringify(b)} -> ${res.status}\n`,
            );
          }
          assertStandardError(`${route.method} ${path}`, res.status, res.json, res.text);
        }),
        { numRuns: CHAOS.fuzzRuns },
      );
    });
  }

  test('every MCP tool', async () => {
    const rpc = async (body: unknown) =>
      api(s.url, 'POST', '/mcp', {
        key,
        raw: JSON.stringify(body),
        headers: { accept: 'application/json, text/event-stream' },
      });
    const listed = await rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    const tools = listed.json.result.tools as { name: string; inputSchema: Schema }[];
    assert.equal(tools.length, 8);
    for (const tool of tools) {
      await fc.assert(
        fc.asyncProperty(arbitraryFor(tool.inputSchema, defsOf(tool.inputSchema)), async (args) => {
          const t0 = performance.now();
          const res = await rpc({
            jsonrpc: '2.0',
            id: 2,
            method: 'tools/call',
            params: { name: tool.name, arguments: args },
          });
          const took = performance.now() - t0;
          if (took > 80 && process.env.ENGRAM_CHAOS_DEBUG)
            process.stderr.write(
              `SLOW ${took.toFixed(0)} ms end ${performance.now().toFixed(0)} MCP ${tool.name} ${JSON.stringify(args)}\n`,
            );
          assert.ok(res.status < 500, `${tool.name}: ${res.status} ${res.text.slice(0, 300)}`);
          const msg = res.json as {
            result?: { isError?: boolean; content?: { text: string }[] };
            error?: { code: number };
          };
          if (res.status >= 400) {
            assert.ok(
              msg?.error || (res.json as { error?: { code?: string } })?.error?.code,
              res.text.slice(0, 300),
            );
            return;
          }
          assert.ok(msg.result || msg.error, res.text.slice(0, 300));
          // Our errors read "Error CODE: message"; the SDK's own argument validation "MCP error -32602: ...".
          if (msg.result?.isError)
            assert.match(msg.result.content?.[0]?.text ?? '', /^(Error [A-Z_]+|MCP error -32602): /);
          if (msg.error)
            assert.notEqual(
              msg.error.code,
              -32603,
              `internal error from ${tool.name}: ${res.text.slice(0, 300)}`,
            );
        }),
        { numRuns: CHAOS.fuzzRuns },
      );
    }
  });

  test('the event loop was never blocked for 100 ms while fuzzing', (t) => {
    const { maxBlockMs, maxLatenessMs } = loop.stop();
    const sorted = [...healthz].sort((a, b) => a - b);
    t.diagnostic(
      `event loop: longest block ${maxBlockMs.toFixed(1)} ms (timer lateness ${maxLatenessMs.toFixed(1)} ms); ` +
        `healthz n=${healthz.length} median=${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms max=${sorted.at(-1)?.toFixed(1)} ms`,
    );
    assert.ok(maxBlockMs < 100, `event loop blocked for ${maxBlockMs.toFixed(1)} ms`);
  });
});
