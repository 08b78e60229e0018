/**
 * The OpenAPI 3.1 document, generated from the route table and its zod schemas. OpenAPI 3.1 uses JSON Schema
 * 2020-12, which is what `z.toJSONSchema` emits; named schemas (`.meta({ id })`) become shared components.
 */
import { z } from 'zod';
import type { RouteSpec } from './route.js';

type Json = Record<string, unknown>;

const DEFS_PREFIX = '#/$defs/';
const COMPONENTS_PREFIX = '#/components/schemas/';

/** Converts a schema, moving its `$defs` into `components` and pointing `$ref`s there. */
function toComponentSchema(schema: z.ZodType, io: 'input' | 'output', components: Json): Json {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  const defs = (json.$defs ?? {}) as Record<string, Json>;
  delete json.$defs;
  delete json.$schema;
  for (const [name, def] of Object.entries(defs)) components[name] = rewriteRefs(def);
  return rewriteRefs(json);
}

function rewriteRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(rewriteRefs) as T;
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value as Json)) {
      out[k] =
        k === '$ref' && typeof v === 'string' && v.startsWith(DEFS_PREFIX)
          ? COMPONENTS_PREFIX + v.slice(DEFS_PREFIX.length)
          : rewriteRefs(v);
    }
    return out as T;
  }
  return value;
}

function parametersOf(schema: z.ZodType | undefined, where: 'query' | 'path', components: Json): Json[] {
  if (!schema) return [];
  const json = toComponentSchema(schema, 'input', components);
  const properties = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => {
    const { description, ...rest } = s;
    const p: Json = { name, in: where, required: where === 'path' || required.has(name), schema: rest };
    if (description) p.description = description;
    return p;
  });
}

export interface OpenApiInfo {
  version: string;
  serverUrl?: string;
}

export function buildOpenApi(routes: RouteSpec[], info: OpenApiInfo): Json {
  const components: Json = {};
  const paths: Record<string, Json> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const op: Json = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
    };
    if (r.description) op.description = r.description;
    const parameters = [
      ...parametersOf(r.params, 'path', components),
      ...parametersOf(r.query, 'query', components),
    ];
    if (parameters.length > 0) op.parameters = parameters;
    if (r.body) {
      op.requestBody = {
        required: true,
        content: { 'application/json': { schema: toComponentSchema(r.body, 'input', components) } },
      };
    } else if (r.rawBody) {
      op.requestBody = {
        required: true,
        description: r.rawBody.description,
        content: { [r.rawBody.contentType]: { schema: { type: 'string' } } },
      };
    }
    const responses: Json = {};
    for (const [status, spec] of Object.entries(r.responses)) {
      const content = spec.schema
        ? {
            [spec.contentType ?? 'application/json']: {
              schema: toComponentSchema(spec.schema, 'output', components),
            },
          }
        : spec.contentType
          ? { [spec.contentType]: { schema: { type: 'string' } } }
          : undefined;
      responses[status] = content
        ? { description: spec.description, content }
        : { description: spec.description };
    }
    op.responses = responses;
    if (r.role !== null) {
      responses['401'] ??= { description: 'Missing, unknown or revoked API key', content: errorContent() };
      if (r.role !== 'read') {
        responses['403'] ??= { description: `Needs the "${r.role}" role`, content: errorContent() };
      }
      responses['429'] ??= { description: 'Rate limit exceeded; see Retry-After', content: errorContent() };
      op.security = [{ apiKey: [] }];
      op['x-required-role'] = r.role;
    }
    paths[path] = { ...(paths[path] ?? {}), [r.method.toLowerCase()]: op };
  }
  const doc: Json = {
    openapi: '3.1.0',
    info: {
      title: 'Engram API',
      version: info.version,
      description:
        'Long-term memory for LLM applications. Every request is confined to the tenant of its API key; ' +
        'keys have a role: read < write < admin.',
    },
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An Engram API key (egk_...).' },
      },
    },
  };
  if (info.serverUrl) doc.servers = [{ url: info.serverUrl }];
  return doc;
}

function errorContent(): Json {
  return { 'application/json': { schema: { $ref: `${COMPONENTS_PREFIX}Error` } } };
}
