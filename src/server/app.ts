/**
 * The REST + MCP server as a Fastify instance. Everything it needs is passed in (engine handle, key store,
 * configuration), so tests build it on a temp database and the CLI builds it on the real one.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { DestinationStream } from 'pino';
import type { z } from 'zod';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { checkJsonDepth, MAX_BODY_DEPTH } from '../core/json-depth.js';
import type { Engram } from '../memory/types.js';
import { type Authenticator, type Caller, createAuthenticator, requireRole } from './auth.js';
import { clientErrorHandler } from './client-errors.js';
import { isLoopback, type ServerConfig } from './config.js';
import { mountDashboard } from './dashboard/static.js';
import { fromFrameworkError, httpStatus, publicErrorBody } from './errors.js';
import { readTextChunks } from './jsonl-body.js';
import type { KeyStore } from './keys.js';
import { mountMcp } from './mcp-route.js';
import { buildOpenApi } from './openapi.js';
import { createRateLimiter } from './rate-limit.js';
import type { Limits, RouteSpec } from './route.js';
import { conversationRoutes } from './routes/conversations.js';
import { dataRoutes, JSONL_TYPE } from './routes/data.js';
import { entityRoutes } from './routes/entities.js';
import { keyRoutes } from './routes/keys.js';
import { maintenanceRoutes } from './routes/maintenance.js';
import { memoryRoutes } from './routes/memories.js';
import { searchRoutes } from './routes/search.js';
import { userRoutes } from './routes/users.js';

export const API_ROUTES: RouteSpec[] = [
  ...memoryRoutes,
  ...conversationRoutes,
  ...searchRoutes,
  ...entityRoutes,
  ...dataRoutes,
  ...maintenanceRoutes,
  ...userRoutes,
  ...keyRoutes,
];

export interface ServerDeps {
  /** The engine; each request uses `withContext` with the caller's tenant. */
  engram: Engram;
  keys: KeyStore;
  config: ServerConfig;
  /** Where JSON logs go (default stdout). */
  logStream?: DestinationStream;
  version?: string;
}

export interface EngramServer {
  app: FastifyInstance;
  /** Whether requests need an API key (false = development mode). */
  authRequired: boolean;
  /** Requests being handled right now. */
  inFlight(): number;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
    startedAt?: bigint;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

function newRequestId(): string {
  return randomBytes(9).toString('base64url');
}

function validate<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return value as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: i.path.join('.'),
    message:
      i.code === 'unrecognized_keys' && i.keys.includes('tenant')
        ? `${i.message} (the tenant always comes from the API key, never from the request)`
        : i.message,
  }));
  const first = issues
    .slice(0, 3)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
  const what = value === undefined && where === 'body' ? 'a JSON body is required' : first;
  throw new EngramError(ErrorCodes.INVALID_INPUT, `Invalid request ${where}: ${what}.`, { issues });
}

/**
 * Answers TIMEOUT when the work takes too long. The work itself is not cancelled (a write may still land),
 * which the error message says. Fastify's own handlerTimeout is not used: on Node 20 its timer is cleared
 * as soon as a request body has been read, so it never fires for POSTs.
 */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new EngramError(
            ErrorCodes.TIMEOUT,
            `The request took longer than ${ms} ms (requestTimeoutMs). A write may still have been applied: check before retrying.`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether a Host header names a loopback address ("127.0.0.1:8787", "localhost", "[::1]:8787"). */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return false;
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::\d+)?$/.exec(host.trim().toLowerCase());
  const name = m ? (m[1] ?? m[2]) : '';
  return isLoopback(name);
}

/** Picks the auth mode; development mode is refused anywhere but on loopback. */
export async function resolveAuthRequired(config: ServerConfig, keys: KeyStore): Promise<boolean> {
  const required = config.auth === 'keys' || (config.auth === 'auto' && (await keys.countActive()) > 0);
  if (!required && !isLoopback(config.host)) {
    throw new EngramError(
      ErrorCodes.FORBIDDEN,
      `Refusing to serve on ${config.host} without API keys. Create one (engram keys create --tenant T --role admin) ` +
        'and start with --auth keys, or bind to 127.0.0.1 for development.',
    );
  }
  return required;
}

export async function buildServer(deps: ServerDeps): Promise<EngramServer> {
  const { config, keys } = deps;
  const authRequired = await resolveAuthRequired(config, keys);
  const auth: Authenticator = createAuthenticator(keys, { required: authRequired });
  const limiter = createRateLimiter(config.rateLimit);
  const failedAuth = createRateLimiter(config.failedAuthLimit);
  const limits: Limits = { maxBatch: config.maxBatch, maxTextLength: config.maxTextLength };
  const handles = new Map<string, Engram>();
  let inFlight = 0;

  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    // Our own onResponse line replaces Fastify's request logs: it adds tenant and key, and logs the route path
    // only (query strings can carry user content; bodies are never logged).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    // Socket-level guards: a client that trickles its headers or body, or holds an idle connection, is cut
    // at the documented times (docs/security.md). Node checks these timers every connectionsCheckingInterval
    // (30 s by default, which let slow clients linger up to 30 s past them), so it is kept well below them.
    requestTimeout: Math.max(config.receiveTimeoutMs, config.headersTimeoutMs),
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: {
      headersTimeout: config.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(
        50,
        Math.min(1_000, Math.floor(Math.min(config.headersTimeoutMs, config.receiveTimeoutMs) / 10)),
      ),
    },
    // Errors Node's HTTP parser raises before Fastify sees a request (408, 431, 400) and the router's own
    // (414, bad URL) leave in the same {"error": {code, message}} shape as every other error.
    clientErrorHandler,
    frameworkErrors: (err, _request, reply) => {
      const e = fromFrameworkError(err);
      (reply as FastifyReply).status(httpStatus(e)).send(publicErrorBody(e));
    },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : newRequestId();
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  // Text chunks as they arrive, never joined into one string (jsonl-body.ts).
  app.addContentTypeParser(
    [JSONL_TYPE, 'application/jsonl'],
    (request: FastifyRequest, payload: IncomingMessage) =>
      readTextChunks(payload, request.routeOptions.bodyLimit ?? config.bodyLimit),
  );

  function handleFor(caller: Caller): Engram {
    const key = `${caller.tenant}\u0000${caller.actor}\u0000${caller.role}`;
    let h = handles.get(key);
    if (!h) {
      if (handles.size > 1000) handles.clear();
      // A read key changes nothing, not even the recall counts its searches would otherwise record.
      h = deps.engram.withContext({
        tenant: caller.tenant,
        actor: caller.actor,
        recordRecalls: caller.role !== 'read',
      });
      handles.set(key, h);
    }
    return h;
  }

  function rateLimited(reply: FastifyReply, retryAfterSeconds: number, message: string): EngramError {
    reply.header('retry-after', String(retryAfterSeconds));
    return new EngramError(ErrorCodes.RATE_LIMITED, message);
  }

  /**
   * Requests with a wrong key are limited per client address: they cost a key lookup each, and an open
   * stream of them is someone guessing.
   */
  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Caller> {
    try {
      return await auth.authenticate(request.headers);
    } catch (e) {
      if (e instanceof EngramError && e.code === ErrorCodes.UNAUTHORIZED) {
        const decision = failedAuth.take(`ip:${request.ip}`);
        if (!decision.allowed) {
          throw rateLimited(
            reply,
            decision.retryAfterSeconds,
            `Too many requests with a missing or wrong API key from this address; retry after ${decision.retryAfterSeconds} s.`,
          );
        }
      }
      throw e;
    }
  }

  /** Takes `count` requests from the caller's allowance (an MCP batch counts each call in it). */
  function charge(request: FastifyRequest, reply: FastifyReply, count: number): void {
    const caller = request.caller;
    if (!caller) throw new EngramError(ErrorCodes.INTERNAL, 'Rate limit without a caller.');
    const decision = limiter.take(caller.keyId ?? `ip:${request.ip}`, count);
    if (!decision.allowed) {
      throw rateLimited(
        reply,
        decision.retryAfterSeconds,
        `Too many requests for this key; retry after ${decision.retryAfterSeconds} s (limit ${config.rateLimit}/min).`,
      );
    }
  }

  /** Authentication, authorisation and rate limit, before the body is even read. */
  function guard(role: 'read' | 'write' | 'admin') {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const caller = await authenticate(request, reply);
      if (caller.keyId === null && !isLoopbackHostHeader(request.headers.host)) {
        // Without keys the only protection is that nobody else can connect; a page whose own domain resolves
        // to 127.0.0.1 (DNS rebinding) could still reach us from the user's browser, and it says so in Host.
        throw new EngramError(
          ErrorCodes.FORBIDDEN,
          'Development mode only answers requests addressed to 127.0.0.1 or localhost; use an API key otherwise.',
        );
      }
      request.caller = caller;
      requireRole(caller, role);
      charge(request, reply, 1);
    };
  }

  app.addHook('onRequest', async (request, reply) => {
    inFlight += 1;
    // 'close' fires whether the response finished or the client went away, so the count cannot leak.
    reply.raw.once('close', () => {
      inFlight -= 1;
    });
    request.startedAt = process.hrtime.bigint();
    reply.header('x-request-id', request.id);
  });
  // JSON.parse itself does not recurse, but every later step that writes the value out does.
  app.addHook('preValidation', async (request) => {
    if (request.body !== null && typeof request.body === 'object') {
      checkJsonDepth(request.body, 'The request body', MAX_BODY_DEPTH);
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    logCompleted(request, reply.statusCode);
  });

  function logCompleted(request: FastifyRequest, status: number): void {
    const ms = request.startedAt ? Number(process.hrtime.bigint() - request.startedAt) / 1e6 : undefined;
    request.log.info(
      {
        method: request.method,
        path: request.routeOptions.url ?? request.url.split('?')[0],
        status,
        ms: ms === undefined ? undefined : Math.round(ms * 10) / 10,
        tenant: request.caller?.tenant,
        keyId: request.caller?.keyId ?? undefined,
      },
      'request completed',
    );
  }

  app.setErrorHandler((err, request, reply) => {
    const e = fromFrameworkError(err);
    const status = httpStatus(e);
    if (status >= 500) request.log.error({ err, code: e.code }, 'request failed');
    reply.status(status).send(publicErrorBody(e));
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(
        publicErrorBody(
          new EngramError(
            ErrorCodes.NOT_FOUND,
            `No route ${request.method} ${request.url.split('?')[0]}; the API is described at /openapi.json.`,
          ),
        ),
      );
  });

  for (const spec of API_ROUTES) {
    app.route({
      method: spec.method,
      url: spec.url,
      bodyLimit:
        spec.operationId === 'import' ? config.importBodyLimit : (spec.bodyLimit ?? config.bodyLimit),
      onRequest: spec.role ? guard(spec.role) : undefined,
      handler: async (request, reply) => {
        const caller = request.caller;
        if (!caller) throw new EngramError(ErrorCodes.INTERNAL, 'Route without a caller.');
        const params = validate(spec.params, request.params, 'path');
        const query = validate(spec.query, request.query, 'query');
        const body = spec.body ? validate(spec.body, request.body, 'body') : request.body;
        // The route's success status, set first so that a handler can answer another one (a restatement: 200).
        reply.status(spec.status ?? 200);
        const result = await withDeadline(
          spec.handler({
            engram: handleFor(caller),
            caller,
            keys,
            body,
            query,
            params,
            limits,
            request,
            reply,
          }),
          Math.max(config.requestTimeoutMs, spec.timeoutMs ?? 0),
        );
        if (spec.operationId === 'stats' && result && typeof result === 'object') {
          // The file size covers every tenant, so it is not shown to a tenant-confined caller.
          return { ...(result as Record<string, unknown>), dbBytes: null };
        }
        return result;
      },
    });
  }

  const openapi = buildOpenApi(API_ROUTES, { version: deps.version ?? '0.0.0' });
  app.get('/openapi.json', async () => openapi);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await keys.countActive();
      return { status: 'ready' };
    } catch {
      reply.status(503);
      return { status: 'unavailable' };
    }
  });
  if (config.dashboard) await mountDashboard(app);
  if (config.mcp) {
    mountMcp(app, {
      guard: guard('read'),
      // The guard took one request; a JSON-RPC batch of n calls pays for the other n - 1.
      chargeBatch: (request, reply, calls) => charge(request, reply, calls - 1),
      handleFor,
      version: deps.version ?? '0.0.0',
    });
  }

  return { app, authRequired, inFlight: () => inFlight };
}
