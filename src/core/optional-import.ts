import { EngramError, ErrorCodes } from './errors.js';

/**
 * Heavy or rarely used packages (Transformers.js with onnxruntime, the bench peers, the GloVe vectors, the
 * framework adapters' frameworks) are optional: a plain install of Engram does not need them. They are
 * imported only when chosen, and a missing one is a MISSING_DEPENDENCY error that names what to install.
 */
export function isModuleNotFound(error: unknown, name: string): boolean {
  const e = error as { code?: string; message?: string } | null;
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') &&
    typeof e.message === 'string' &&
    e.message.includes(name)
  );
}

export function missingDependency(name: string, purpose: string, cause?: unknown): EngramError {
  return new EngramError(
    ErrorCodes.MISSING_DEPENDENCY,
    `${purpose} needs the optional package "${name}", which is not installed; run \`npm install ${name}\`.`,
    { package: name },
    cause === undefined ? undefined : { cause },
  );
}

/** `load()` (a dynamic import of `name`), with a missing package turned into MISSING_DEPENDENCY. */
export async function importOptional<T>(name: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (isModuleNotFound(e, name)) throw missingDependency(name, purpose, e);
    throw e;
  }
}
