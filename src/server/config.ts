/**
 * Server configuration: flags > environment variables > config file > defaults. One table (CONFIG_FIELDS)
 * drives parsing, the `engram serve` flags and the table in docs/server.md, so they cannot disagree.
 */

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { isPostgresUrl } from '../store/postgres/url.js';

export const AUTH_MODES = ['auto', 'keys', 'none'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface ServerConfig {
  host: string;
  port: number;
  db: string;
  auth: AuthMode;
  /** An embedder spec as the CLI takes it: glove, none, transformers:<dir>, openai:<url>#<model>. */
  embedder: string;
  /** A reranker spec (cross-encoder:<dir or hub id>), or none. */
  reranker: string;
  /** A chat model spec (openai:<base-url>#<model>), or none. */
  llm: string;
  bodyLimit: number;
  importBodyLimit: number;
  maxTextLength: number;
  vectorCacheMb: number;
  maxBatch: number;
  rateLimit: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  receiveTimeoutMs: number;
  keepAliveTimeoutMs: number;
  failedAuthLimit: number;
  shutdownTimeoutMs: number;
  logLevel: (typeof LOG_LEVELS)[number];
  mcp: boolean;
  dashboard: boolean;
}

type FieldType = 'string' | 'int' | 'bool' | readonly string[];

export interface ConfigField<K extends keyof ServerConfig = keyof ServerConfig> {
  key: K;
  /** Long flag of `engram serve`, without the dashes. */
  flag: string;
  /** The flag is one of the CLI's global options (`engram --db x serve` or `engram serve --db x`). */
  global?: boolean;
  env: string;
  type: FieldType;
  default: ServerConfig[K];
  description: string;
  /** For ints: smallest accepted value. */
  min?: number;
}

function field<K extends keyof ServerConfig>(f: ConfigField<K>): ConfigField<K> {
  return f;
}

export const DEFAULT_DB_PATH = './data/engram.db';
export const DEFAULT_CONFIG_FILE = 'engram.config.json';

export const CONFIG_FIELDS: ConfigField[] = [
  field({
    key: 'host',
    flag: 'host',
    env: 'ENGRAM_HOST',
    type: 'string',
    default: '127.0.0.1',
    description: 'Interface to bind. Anything other than a loopback address requires API keys.',
  }),
  field({
    key: 'port',
    flag: 'port',
    env: 'ENGRAM_PORT',
    type: 'int',
    min: 0,
    default: 8787,
    description: 'TCP port; 0 picks a free one (the chosen port is logged).',
  }),
  field({
    key: 'db',
    flag: 'db',
    global: true,
    env: 'ENGRAM_DB',
    type: 'string',
    default: DEFAULT_DB_PATH,
    description: 'SQLite database file; its folder is created if missing.',
  }),
  field({
    key: 'auth',
    flag: 'auth',
    env: 'ENGRAM_AUTH',
    type: AUTH_MODES,
    default: 'auto',
    description:
      '`keys`: every request needs a key. `none`: development mode without keys (loopback only). `auto`: `keys` if any key exists at start, else `none`.',
  }),
  field({
    key: 'embedder',
    flag: 'embedder',
    global: true,
    env: 'ENGRAM_EMBEDDER',
    type: 'string',
    default: 'glove',
    description:
      'Embedder for vector search: `glove`, `none` (BM25 only), `transformers:<model dir>` or `openai:<base url>#<model>`.',
  }),
  field({
    key: 'reranker',
    flag: 'reranker',
    global: true,
    env: 'ENGRAM_RERANKER',
    type: 'string',
    default: 'none',
    description: 'Cross-encoder reranker: `none` or `cross-encoder:<model dir or hub id>`.',
  }),
  field({
    key: 'llm',
    flag: 'llm',
    global: true,
    env: 'ENGRAM_LLM',
    type: 'string',
    default: 'none',
    description:
      'Chat model for fact extraction, summaries and `/v1/ask`: `none` or `openai:<base url>#<model>`; the key comes from `ENGRAM_LLM_KEY`, else `OPENAI_API_KEY`.',
  }),
  field({
    key: 'bodyLimit',
    flag: 'body-limit',
    env: 'ENGRAM_BODY_LIMIT',
    type: 'int',
    min: 1024,
    default: 1_048_576,
    description: 'Largest request body in bytes (413 above).',
  }),
  field({
    key: 'importBodyLimit',
    flag: 'import-body-limit',
    env: 'ENGRAM_IMPORT_BODY_LIMIT',
    type: 'int',
    min: 1024,
    default: 64 * 1_048_576,
    description: 'Largest body of `POST /v1/import` in bytes.',
  }),
  field({
    key: 'maxTextLength',
    flag: 'max-text-length',
    env: 'ENGRAM_MAX_TEXT_LENGTH',
    type: 'int',
    min: 1,
    default: 32_000,
    description: 'Longest memory text in characters (400 `TEXT_TOO_LONG` above).',
  }),
  field({
    key: 'vectorCacheMb',
    flag: 'vector-cache-mb',
    env: 'ENGRAM_VECTOR_CACHE_MB',
    type: 'int',
    min: 1,
    default: 512,
    description:
      'MiB of per-user vector matrices kept in memory; the least recently searched users are reloaded from the file beyond it.',
  }),
  field({
    key: 'maxBatch',
    flag: 'max-batch',
    env: 'ENGRAM_MAX_BATCH',
    type: 'int',
    min: 1,
    default: 100,
    description: 'Most memories per batch add or messages per conversation (413 above).',
  }),
  field({
    key: 'rateLimit',
    flag: 'rate-limit',
    env: 'ENGRAM_RATE_LIMIT',
    type: 'int',
    min: 0,
    default: 1200,
    description: 'Requests per minute per API key (per client address without keys); 0 turns it off.',
  }),
  field({
    key: 'requestTimeoutMs',
    flag: 'request-timeout',
    env: 'ENGRAM_REQUEST_TIMEOUT',
    type: 'int',
    min: 1,
    default: 30_000,
    description: 'Milliseconds a request may take before it is answered 503 `TIMEOUT`.',
  }),
  field({
    key: 'headersTimeoutMs',
    flag: 'headers-timeout',
    env: 'ENGRAM_HEADERS_TIMEOUT',
    type: 'int',
    min: 100,
    default: 10_000,
    description:
      'Milliseconds a connection has to send its request line and headers (from its first byte, or from its previous answer); then it is answered 408 and closed.',
  }),
  field({
    key: 'receiveTimeoutMs',
    flag: 'receive-timeout',
    env: 'ENGRAM_RECEIVE_TIMEOUT',
    type: 'int',
    min: 100,
    default: 35_000,
    description:
      'Milliseconds a client has to send a whole request, body included; a body still trickling in then is answered 408 and the connection closed.',
  }),
  field({
    key: 'keepAliveTimeoutMs',
    flag: 'keep-alive-timeout',
    env: 'ENGRAM_KEEP_ALIVE_TIMEOUT',
    type: 'int',
    min: 100,
    default: 5_000,
    description: 'Milliseconds an idle keep-alive connection stays open after its last answer.',
  }),
  field({
    key: 'failedAuthLimit',
    flag: 'failed-auth-limit',
    env: 'ENGRAM_FAILED_AUTH_LIMIT',
    type: 'int',
    min: 0,
    default: 30,
    description:
      'Requests per minute per client address that present a missing, unknown or revoked key (401) before further ones get 429; 0 turns it off.',
  }),
  field({
    key: 'shutdownTimeoutMs',
    flag: 'shutdown-timeout',
    env: 'ENGRAM_SHUTDOWN_TIMEOUT',
    type: 'int',
    min: 1,
    default: 10_000,
    description: 'Milliseconds to wait for in-flight requests on SIGTERM/SIGINT before closing anyway.',
  }),
  field({
    key: 'logLevel',
    flag: 'log-level',
    env: 'ENGRAM_LOG_LEVEL',
    type: LOG_LEVELS,
    default: 'info',
    description: 'JSON log level on stdout. Memory text is never logged at `info`.',
  }),
  field({
    key: 'mcp',
    flag: 'mcp',
    env: 'ENGRAM_MCP',
    type: 'bool',
    default: true,
    description: 'Serve MCP (streamable HTTP) at `/mcp`.',
  }),
  field({
    key: 'dashboard',
    flag: 'dashboard',
    env: 'ENGRAM_DASHBOARD',
    type: 'bool',
    default: true,
    description: 'Serve the web dashboard at `/`.',
  }),
];

export const DEFAULT_CONFIG: ServerConfig = Object.fromEntries(
  CONFIG_FIELDS.map((f) => [f.key, f.default]),
) as unknown as ServerConfig;

function invalid(source: string, name: string, message: string): EngramError {
  return new EngramError(ErrorCodes.INVALID_INPUT, `Invalid ${name} from ${source}: ${message}.`);
}

/** Parses one value (string from a flag or env var, or JSON value from the file) into the field's type. */
function parseValue(f: ConfigField, raw: unknown, source: string, name: string): unknown {
  if (Array.isArray(f.type)) {
    if (typeof raw !== 'string' || !f.type.includes(raw))
      throw invalid(source, name, `use one of ${f.type.join(', ')}`);
    return raw;
  }
  switch (f.type) {
    case 'string':
      if (typeof raw !== 'string' || raw === '') throw invalid(source, name, 'expected a non-empty string');
      return raw;
    case 'int': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && /^\d+$/.test(raw.trim())
            ? Number(raw)
            : NaN;
      if (!Number.isSafeInteger(n) || n < (f.min ?? 0)) {
        throw invalid(source, name, `expected a whole number >= ${f.min ?? 0}`);
      }
      if (f.key === 'port' && n > 65535) throw invalid(source, name, 'a port is at most 65535');
      return n;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      const s = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      if (['1', 'true', 'yes', 'on'].includes(s)) return true;
      if (['0', 'false', 'no', 'off'].includes(s)) return false;
      throw invalid(source, name, 'expected true or false');
    }
  }
  return raw;
}

export interface ConfigSources {
  /** Values from flags, keyed by ServerConfig key; undefined = not given. */
  flags?: Partial<Record<keyof ServerConfig, unknown>>;
  env?: Record<string, string | undefined>;
  /** Explicit config file (--config or $ENGRAM_CONFIG); must exist. Else ./engram.config.json if present. */
  configFile?: string;
  cwd?: string;
}

export interface ResolvedConfig {
  config: ServerConfig;
  /** Where each value came from, for the start-up log. */
  sources: Record<keyof ServerConfig, 'flag' | 'env' | 'file' | 'default'>;
  configFile: string | null;
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `Cannot read config file ${path}: ${(e as Error).message}. It must be a JSON object.`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EngramError(ErrorCodes.INVALID_INPUT, `Config file ${path} must contain a JSON object.`);
  }
  const known = new Set(CONFIG_FIELDS.map((f) => f.key as string));
  const unknown = Object.keys(parsed).filter((k) => !known.has(k) && !k.startsWith('$'));
  if (unknown.length > 0) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `Unknown setting(s) in ${path}: ${unknown.join(', ')}. Known: ${[...known].join(', ')}.`,
    );
  }
  return parsed as Record<string, unknown>;
}

export function resolveConfig(sources: ConfigSources = {}): ResolvedConfig {
  const env = sources.env ?? process.env;
  const cwd = sources.cwd ?? process.cwd();
  const explicitFile = sources.configFile ?? env.ENGRAM_CONFIG;
  let configFile: string | null = null;
  if (explicitFile) {
    configFile = resolve(cwd, explicitFile);
    if (!existsSync(configFile)) {
      throw new EngramError(ErrorCodes.NOT_FOUND, `Config file ${configFile} does not exist.`);
    }
  } else if (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))) {
    configFile = resolve(cwd, DEFAULT_CONFIG_FILE);
  }
  const file = configFile ? readConfigFile(configFile) : {};

  const config = { ...DEFAULT_CONFIG } as Record<string, unknown>;
  const origin = {} as Record<string, ResolvedConfig['sources'][keyof ServerConfig]>;
  for (const f of CONFIG_FIELDS) {
    const fromFlag = sources.flags?.[f.key];
    const fromEnv = env[f.env];
    const fromFile = file[f.key];
    if (fromFlag !== undefined) {
      config[f.key] = parseValue(f, fromFlag, 'flag', `--${f.flag}`);
      origin[f.key] = 'flag';
    } else if (fromEnv !== undefined && fromEnv !== '') {
      config[f.key] = parseValue(f, fromEnv, 'environment', f.env);
      origin[f.key] = 'env';
    } else if (fromFile !== undefined) {
      config[f.key] = parseValue(f, fromFile, configFile ?? 'config file', `"${f.key}"`);
      origin[f.key] = 'file';
    } else {
      origin[f.key] = 'default';
    }
  }
  if ((config.headersTimeoutMs as number) > (config.receiveTimeoutMs as number)) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `headersTimeoutMs (${config.headersTimeoutMs}) must not exceed receiveTimeoutMs (${config.receiveTimeoutMs}): the headers are part of the request.`,
    );
  }
  // A relative db path in a config file is relative to that file, not to wherever the server was started.
  if (origin.db === 'file' && configFile && !isPostgresUrl(config.db as string)) {
    config.db = resolve(configFile, '..', config.db as string);
  }
  return {
    config: config as unknown as ServerConfig,
    sources: origin as ResolvedConfig['sources'],
    configFile,
  };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The Markdown table of docs/server.md, generated from CONFIG_FIELDS (a test keeps the doc in sync). */
export function configTableMarkdown(): string {
  const rows = CONFIG_FIELDS.map((f) => {
    const type = Array.isArray(f.type) ? f.type.map((t) => `\`${t}\``).join(' \\| ') : f.type;
    const fileKey = `\`${f.key}\``;
    const flag = f.type === 'bool' ? `--[no-]${f.flag}` : `--${f.flag}`;
    return `| \`${flag}\` | \`${f.env}\` | ${fileKey} | ${type} | \`${String(f.default)}\` | ${f.description} |`;
  });
  return [
    '| Flag | Environment variable | Config file key | Type | Default | Meaning |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
