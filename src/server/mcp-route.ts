/**
 * MCP over streamable HTTP at `/mcp`, behind the same API keys as the REST API. Stateless: each POST gets a
 * fresh MCP server bound to the caller's tenant handle, so no session can outlive or cross a key.
 */
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createMcpServer } from '../mcp/server.js';
import type { Engram } from '../memory/types.js';
import type { Caller } from './auth.js';

export interface McpMountOptions {
  guard: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** Charges the rate limit for a JSON-RPC batch of `calls` messages (the guard charged one). */
  chargeBatch: (request: FastifyRequest, reply: FastifyReply, calls: number) => void;
  handleFor: (caller: Caller) => Engram;
  version: string;
}

const METHOD_NOT_ALLOWED = {
  jsonrpc: '2.0',
  error: { code: -32000, message: 'This MCP endpoint is stateless: send JSON-RPC requests with POST.' },
  id: null,
};

export function mountMcp(app: FastifyInstance, options: McpMountOptions): void {
  app.post('/mcp', { onRequest: options.guard }, async (request, reply) => {
    const caller = request.caller as Caller;
    if (Array.isArray(request.body) && request.body.length > 1) {
      options.chargeBatch(request, reply, request.body.length);
    }
    const server = createMcpServer({
      engram: options.handleFor(caller),
      role: caller.role,
      version: options.version,
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    reply.raw.setHeader('x-request-id', request.id);
    reply.hijack();
    await server.connect(transport);
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });
  const notAllowed = async (_request: FastifyRequest, reply: FastifyReply) => {
    reply.status(405).header('allow', 'POST');
    return METHOD_NOT_ALLOWED;
  };
  app.get('/mcp', { onRequest: options.guard }, notAllowed);
  app.delete('/mcp', { onRequest: options.guard }, notAllowed);
}
