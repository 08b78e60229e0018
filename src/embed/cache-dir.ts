import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where Engram keeps prepared model data (the GloVe binary cache): `$ENGRAM_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/engram`, else `~/.cache/engram`. Nothing here is precious: deleting it only costs a new
 * preparation.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ENGRAM_CACHE_DIR) return resolve(env.ENGRAM_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return resolve(env.XDG_CACHE_HOME, 'engram');
  return join(homedir(), '.cache', 'engram');
}
