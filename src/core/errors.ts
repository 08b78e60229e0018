/**
 * One catalogue of error codes. Every error Engram throws on purpose is an `EngramError` with one of these
 * codes and a message that tells the user what to do; the REST layer maps codes to HTTP statuses.
 */
export const ErrorCodes = {
  INVALID_INPUT: 'INVALID_INPUT',
  EMPTY_TEXT: 'EMPTY_TEXT',
  TEXT_TOO_LONG: 'TEXT_TOO_LONG',
  INVALID_DATE: 'INVALID_DATE',
  NOT_FOUND: 'NOT_FOUND',
  INVALID_JSON: 'INVALID_JSON',
  NOT_AN_ENGRAM_DB: 'NOT_AN_ENGRAM_DB',
  DB_TOO_NEW: 'DB_TOO_NEW',
  DB_CLOSED: 'DB_CLOSED',
  CONFLICT: 'CONFLICT',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TIMEOUT: 'TIMEOUT',
  MODEL_NOT_FOUND: 'MODEL_NOT_FOUND',
  EMBEDDER_ERROR: 'EMBEDDER_ERROR',
  RERANKER_ERROR: 'RERANKER_ERROR',
  LLM_ERROR: 'LLM_ERROR',
  /** An operation needs a chat model and none is configured. */
  LLM_NOT_CONFIGURED: 'LLM_NOT_CONFIGURED',
  /** An optional package the chosen feature needs is not installed. */
  MISSING_DEPENDENCY: 'MISSING_DEPENDENCY',
  UNSUPPORTED: 'UNSUPPORTED',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class EngramError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EngramError';
    this.code = code;
    if (details) this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export function isEngramError(e: unknown): e is EngramError {
  return e instanceof EngramError;
}

/** Wraps anything thrown into an EngramError so callers at the edges handle exactly one type. */
export function toEngramError(e: unknown): EngramError {
  if (e instanceof EngramError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new EngramError(ErrorCodes.INTERNAL, message, undefined, { cause: e });
}
