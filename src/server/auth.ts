/**
 * Who is calling: the API key decides the tenant and the role. Nothing in a request body or query can name a
 * tenant, so a key can only ever reach its own tenant's memories.
 */
import { EngramError, ErrorCodes } from '../core/errors.js';
import { type KeyStore, type Role, roleAllows } from './keys.js';

export interface Caller {
  tenant: string;
  role: Role;
  /** null in development mode (no keys). */
  keyId: string | null;
  /** Recorded in history as who made a change. */
  actor: string;
}

/** The caller of development mode: the default tenant, full rights, only ever reachable on loopback. */
export const DEV_CALLER: Caller = { tenant: 'default', role: 'admin', keyId: null, actor: 'dev' };

export interface Authenticator {
  /** `required` false = development mode: requests without a key act as DEV_CALLER. */
  readonly required: boolean;
  /** Resolves the caller from request headers; throws UNAUTHORIZED for a missing, unknown or revoked key. */
  authenticate(headers: Record<string, string | string[] | undefined>): Promise<Caller>;
}

function presentedKey(headers: Record<string, string | string[] | undefined>): string | null {
  const auth = headers.authorization;
  // "Bearer " with nothing after it (an unset $ENGRAM_KEY in a shell example) counts as no key.
  if (typeof auth === 'string' && auth.trim() !== '' && !/^Bearer\s*$/i.test(auth.trim())) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (!m) {
      throw new EngramError(
        ErrorCodes.UNAUTHORIZED,
        'Malformed Authorization header; use "Authorization: Bearer <key>".',
      );
    }
    return m[1];
  }
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim() !== '') return apiKey.trim();
  return null;
}

export function createAuthenticator(keys: KeyStore, options: { required: boolean }): Authenticator {
  return {
    required: options.required,
    async authenticate(headers) {
      const secret = presentedKey(headers);
      if (secret === null) {
        if (!options.required) return DEV_CALLER;
        throw new EngramError(
          ErrorCodes.UNAUTHORIZED,
          'An API key is required: send "Authorization: Bearer <key>" (create one with: engram keys create --tenant T --role write).',
        );
      }
      // A wrong key is refused even in development mode: silently ignoring it would hide a misconfigured client.
      const key = await keys.verify(secret);
      if (!key) throw new EngramError(ErrorCodes.UNAUTHORIZED, 'Unknown or revoked API key.');
      return { tenant: key.tenant, role: key.role, keyId: key.id, actor: `key:${key.id}` };
    },
  };
}

export function requireRole(caller: Caller, need: Role): void {
  if (!roleAllows(caller.role, need)) {
    throw new EngramError(
      ErrorCodes.FORBIDDEN,
      `This needs a key with the "${need}" role; this key has "${caller.role}".`,
    );
  }
}
