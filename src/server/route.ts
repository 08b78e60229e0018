/**
 * A route is data: method, path, role, schemas and a handler. The app registers these with Fastify and the
 * OpenAPI document is generated from the very same objects.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Engram } from '../memory/types.js';
import type { Caller } from './auth.js';
import type { KeyStore, Role } from './keys.js';

export interface Limits {
  maxBatch: number;
  maxTextLength: number;
}

export interface HandlerContext<B, Q, P> {
  /** The engine handle confined to the caller's tenant (from the API key, never from the request). */
  engram: Engram;
  caller: Caller;
  /** The server's key table (key routes confine themselves to the caller's tenant). */
  keys: KeyStore;
  body: B;
  query: Q;
  params: P;
  limits: Limits;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
}

export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Fastify path syntax (`/v1/memories/:id`). */
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Least role allowed to call it; `null` = public (health, OpenAPI). */
  role: Role | null;
  body?: z.ZodType<B>;
  /** A non-JSON body (e.g. JSONL) described for OpenAPI; validated by the handler. */
  rawBody?: { contentType: string; description: string };
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /** Status of a successful response. Default 200. */
  status?: number;
  responses: Record<number, ResponseSpec>;
  bodyLimit?: number;
  /** Overrides requestTimeoutMs (never shortens it), for operations over a whole tenant. */
  timeoutMs?: number;
  handler(ctx: HandlerContext<B, Q, P>): Promise<unknown>;
}

/** Keeps the schema and handler types together while the route table stays a plain array. */
export function defineRoute<B, Q, P>(spec: RouteSpec<B, Q, P>): RouteSpec {
  return spec as unknown as RouteSpec;
}
