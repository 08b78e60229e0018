/**
 * The REST client of the dashboard. Types come from the server's own schemas (src/server/api-types.ts).
 * The API key lives in sessionStorage: this tab only, gone when it closes, never in a URL or localStorage.
 */
import type {
  ApiError,
  ApiKey,
  ContextRequest,
  ContextResponse,
  CreatedKey,
  EntityList,
  EntityProfile,
  HistoryEntry,
  ImportResponse,
  KeyCreate,
  MaintainReport,
  MaintainRequest,
  Memory,
  MemoryPage,
  MemoryPatch,
  SearchHit,
  SearchRequest,
  SessionsResponse,
  Stats,
  UsersResponse,
  WhoAmI,
} from '../../src/server/api-types.js';

export type * from '../../src/server/api-types.js';

const KEY_SLOT = 'engram.key';

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_SLOT);
}

export function storeKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_SLOT, key);
  else sessionStorage.removeItem(KEY_SLOT);
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

interface CallOptions {
  body?: unknown;
  raw?: { text: string; type: string };
  text?: boolean;
}

async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  const key = storedKey();
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (options.raw) {
    headers['content-type'] = options.raw.type;
    body = options.raw.text;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, cache: 'no-store' });
  } catch {
    throw new ApiFailure(0, 'NETWORK', 'The server did not answer. Is `engram serve` still running?');
  }
  if (!res.ok) {
    const failure = (await res.json().catch(() => null)) as ApiError | null;
    throw new ApiFailure(
      res.status,
      failure?.error.code ?? `HTTP_${res.status}`,
      failure?.error.message ?? `${res.status} ${res.statusText}`,
    );
  }
  return (options.text ? await res.text() : await res.json()) as T;
}

const enc = encodeURIComponent;

export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface ListParams {
  user?: string;
  session?: string;
  kind?: string;
  includeSuperseded?: boolean;
  includeArchived?: boolean;
  includeDeleted?: boolean;
  limit?: number;
  cursor?: string;
}

export const api = {
  whoami: () => call<WhoAmI>('GET', '/v1/whoami'),
  stats: () => call<Stats>('GET', '/v1/stats'),
  health: async () => {
    const [live, ready] = await Promise.all([
      call<{ status: string }>('GET', '/healthz'),
      call<{ status: string }>('GET', '/readyz').catch((e: unknown) => ({
        status: e instanceof ApiFailure ? `unavailable (${e.status})` : 'unavailable',
      })),
    ]);
    return { live: live.status, ready: ready.status };
  },
  users: (q?: string) => call<UsersResponse>('GET', `/v1/users${query({ q })}`),
  entities: (user: string, type?: string) => call<EntityList>('GET', `/v1/entities${query({ user, type })}`),
  profile: (user: string, entity: string, limit?: number) =>
    call<EntityProfile>('GET', `/v1/entities/${enc(entity)}${query({ user, limit })}`),
  sessions: (user: string) => call<SessionsResponse>('GET', `/v1/users/${enc(user)}/sessions`),
  list: (p: ListParams) => call<MemoryPage>('GET', `/v1/memories${query({ ...p })}`),
  /** Every page of a listing (the dashboard's scopes are one user or one session). */
  async listAll(p: ListParams): Promise<Memory[]> {
    const out: Memory[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.list({ ...p, limit: 1000, cursor });
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  },
  get: (id: string) => call<Memory>('GET', `/v1/memories/${enc(id)}`),
  history: async (id: string) =>
    (await call<{ entries: HistoryEntry[] }>('GET', `/v1/memories/${enc(id)}/history`)).entries,
  update: (id: string, patch: MemoryPatch) =>
    call<Memory>('PATCH', `/v1/memories/${enc(id)}`, { body: patch }),
  remove: (id: string) => call<Memory>('DELETE', `/v1/memories/${enc(id)}`),
  erase: (target: { id: string } | { user: string }) =>
    call<{ erased: number }>('POST', '/v1/erase', { body: target }),
  search: async (req: SearchRequest) =>
    (await call<{ hits: SearchHit[] }>('POST', '/v1/search', { body: req })).hits,
  context: (req: ContextRequest) => call<ContextResponse>('POST', '/v1/context', { body: req }),
  exportJsonl: (user?: string) => call<string>('GET', `/v1/export${query({ user })}`, { text: true }),
  importJsonl: (text: string) =>
    call<ImportResponse>('POST', '/v1/import', { raw: { text, type: 'application/x-ndjson' } }),
  keys: async (includeRevoked: boolean) =>
    (await call<{ keys: ApiKey[] }>('GET', `/v1/keys${query({ includeRevoked })}`)).keys,
  createKey: (input: KeyCreate) => call<CreatedKey>('POST', '/v1/keys', { body: input }),
  revokeKey: (id: string) => call<ApiKey>('DELETE', `/v1/keys/${enc(id)}`),
  maintain: (req: MaintainRequest) => call<MaintainReport>('POST', '/v1/maintain', { body: req }),
};
