import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ChatRequestMessage, deterministicChat } from './deterministic-chat.js';

/**
 * A small OpenAI-compatible server on 127.0.0.1 for tests: `/v1/embeddings` answers deterministic hash-based
 * vectors and `/v1/chat/completions` answers deterministically from the prompt (deterministic-chat.ts: Engram's
 * own prompts get valid answers derived from their content, anything else is echoed); queued one-shot replies (errors, hangs, broken
 * JSON) take precedence, in order, so a test scripts exactly what each request gets.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export type FakeReply =
  | { status?: number; headers?: Record<string, string>; json?: unknown; text?: string }
  /** Accept the request and never answer. */
  | 'hang';

export interface FakeOpenAIServer {
  /** Base URL including `/v1`. */
  url: string;
  requests: RecordedRequest[];
  /** Replies for the next requests, in order, before the default behaviour resumes. */
  queue(...replies: FakeReply[]): void;
  /** Resolves when the server has received `count` requests in all (at once if it already has). */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

/** The vector the server gives `text`: deterministic, deliberately not unit length. */
export function fakeVector(text: string, dims: number): number[] {
  const seed = createHash('sha256').update(text).digest();
  return Array.from({ length: dims }, (_, d) => ((seed[d % 32] + 17 * d) % 251) / 25 - 5);
}

export async function startFakeOpenAIServer(options: { dims?: number } = {}): Promise<FakeOpenAIServer> {
  const dims = options.dims ?? 8;
  const requests: RecordedRequest[] = [];
  const pending: FakeReply[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  const defaultReply = (path: string, body: unknown): FakeReply => {
    const request = body as { input?: unknown; messages?: ChatRequestMessage[] };
    if (path === '/v1/embeddings' && Array.isArray(request.input)) {
      const data = (request.input as string[]).map((text, index) => ({
        object: 'embedding',
        index,
        embedding: fakeVector(text, dims),
      }));
      // Real servers may list items out of order; the index is what counts.
      return { json: { object: 'list', data: data.reverse(), model: 'fake' } };
    }
    if (path === '/v1/chat/completions' && Array.isArray(request.messages)) {
      return {
        json: {
          id: 'chatcmpl-fake',
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: deterministicChat(request.messages) },
              finish_reason: 'stop',
            },
          ],
        },
      };
    }
    return { status: 404, json: { error: { message: `no route ${path}` } } };
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // Recorded as text.
      }
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      for (const w of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const reply = pending.shift() ?? defaultReply(path, body);
      if (reply === 'hang') return;
      const text = reply.text ?? JSON.stringify(reply.json ?? {});
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    queue: (...replies) => {
      pending.push(...replies);
    },
    received: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
