/**
 * The REST edge is the only place where error codes become HTTP statuses. Every error leaves the server as
 * `{ "error": { "code", "message" } }`.
 */
import { EngramError, type ErrorCode, ErrorCodes, isEngramError } from '../core/errors.js';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  EMPTY_TEXT: 400,
  TEXT_TOO_LONG: 400,
  INVALID_DATE: 400,
  INVALID_JSON: 400,
  NOT_FOUND: 404,
  NOT_AN_ENGRAM_DB: 500,
  DB_TOO_NEW: 500,
  DB_CLOSED: 503,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  TIMEOUT: 503,
  MODEL_NOT_FOUND: 500,
  EMBEDDER_ERROR: 502,
  RERANKER_ERROR: 502,
  LLM_ERROR: 502,
  LLM_NOT_CONFIGURED: 501,
  MISSING_DEPENDENCY: 501,
  UNSUPPORTED: 501,
  INTERNAL: 500,
};

export function statusFor(code: ErrorCode): number {
  return STATUS_BY_CODE[code] ?? 500;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

interface FrameworkError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/** Turns Fastify's own errors (body parsing, limits, timeouts) into EngramErrors with actionable messages. */
export function fromFrameworkError(err: unknown): EngramError {
  if (isEngramError(err)) return err;
  const e = (err ?? {}) as FrameworkError;
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new EngramError(
        ErrorCodes.INVALID_JSON,
        `The request body is not valid JSON: ${e.message ?? 'parse error'}.`,
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new EngramError(
        ErrorCodes.PAYLOAD_TOO_LARGE,
        'The request body is larger than this server accepts; send less per request (see the bodyLimit setting).',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new EngramError(
        ErrorCodes.INVALID_INPUT,
        'Unsupported Content-Type; send JSON with "Content-Type: application/json".',
        { status: 415 },
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new EngramError(ErrorCodes.INVALID_INPUT, 'The Content-Length header does not match the body.');
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return new EngramError(ErrorCodes.INVALID_INPUT, e.message ?? 'Bad request URL.');
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new EngramError(ErrorCodes.INVALID_INPUT, e.message ?? 'Bad request.', { status: e.statusCode });
  }
  return new EngramError(
    ErrorCodes.INTERNAL,
    'Internal server error; the server log has the details.',
    undefined,
    {
      cause: err,
    },
  );
}

/** HTTP status for an error, honouring a framework status carried in details (e.g. 415). */
export function httpStatus(e: EngramError): number {
  const carried = e.details?.status;
  if (typeof carried === 'number' && carried >= 400 && carried < 600) return carried;
  return statusFor(e.code);
}

/** The body sent to the client: internal details (like a carried status) are not echoed. */
export function publicErrorBody(e: EngramError): ErrorBody {
  const { status: _status, ...rest } = e.details ?? {};
  const details = Object.keys(rest).length > 0 ? rest : undefined;
  return {
    error: details ? { code: e.code, message: e.message, details } : { code: e.code, message: e.message },
  };
}
