import { EngramError, type ErrorCode, ErrorCodes } from '../core/errors.js';
import { type BackoffOptions, backoffDelay, retryAfterMs } from './backoff.js';

/**
 * POSTs JSON to an OpenAI-compatible endpoint and returns the parsed JSON answer, retrying what is worth
 * retrying. Shared by the embedding and chat clients so both fail the same way:
 * - 429, 408, 409 and 5xx answers, network errors and timeouts are retried up to `maxRetries` times with
 *   exponential backoff and jitter, waiting at least what the server's Retry-After asks;
 * - other answers (400, 401, 404, 422 …) fail at once, since repeating them cannot help;
 * - every failure is an EngramError: TIMEOUT when the last attempt timed out, else `errorCode`, with the status
 *   and the server's own error message.
 */
export interface PostJsonOptions extends BackoffOptions {
  url: string;
  body: unknown;
  /** Sent as `Authorization: Bearer …` when set. */
  apiKey?: string;
  headers?: Record<string, string>;
  /** Per attempt, the whole exchange including reading the body. Default 60 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** Cancels the request and any pending retry; not retried. */
  signal?: AbortSignal;
  /** Code of non-timeout failures (EMBEDDER_ERROR, LLM_ERROR …). */
  errorCode: ErrorCode;
  /** Names the service in messages: "embedding endpoint", "chat endpoint". */
  what: string;
  /** Replaceable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const RETRYABLE_STATUS = new Set([408, 409, 425, 429]);
const MAX_DETAIL = 300;

function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status) || status >= 500;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The error text an OpenAI-compatible server put in its body (`{error: {message}}`, `{error: "…"}`, text). */
function serverMessage(text: string): string {
  let message = text;
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
    const error = body.error;
    if (typeof error === 'string') message = error;
    else if (
      error &&
      typeof error === 'object' &&
      typeof (error as { message?: unknown }).message === 'string'
    ) {
      message = (error as { message: string }).message;
    } else if (typeof body.message === 'string') message = body.message;
    else if (typeof body.detail === 'string') message = body.detail;
  } catch {
    // Not JSON: the raw text is the best we have.
  }
  message = message.replace(/\s+/g, ' ').trim();
  return message.length > MAX_DETAIL ? `${message.slice(0, MAX_DETAIL)}…` : message;
}

function statusHint(status: number): string {
  if (status === 401 || status === 403) return ' Check the API key.';
  if (status === 404) return ' Check the base URL (it usually ends in /v1) and the model name.';
  if (status === 429) return ' The server is rate limiting; lower the batch size or raise maxRetries.';
  return '';
}

class AttemptFailure {
  constructor(
    readonly error: EngramError,
    readonly retryable: boolean,
    readonly waitMs: number | null = null,
  ) {}
}

export async function postJson(options: PostJsonOptions): Promise<unknown> {
  const maxRetries = options.maxRetries ?? 3;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const sleep = options.sleep ?? defaultSleep;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...options.headers,
  };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const payload = JSON.stringify(options.body);

  for (let attempt = 0; ; attempt++) {
    const failure = await attemptOnce(options, headers, payload, timeoutMs, attempt + 1);
    if (!(failure instanceof AttemptFailure)) return failure.value;
    if (!failure.retryable || attempt >= maxRetries) {
      if (failure.retryable && maxRetries > 0) {
        failure.error.message += ` (gave up after ${attempt + 1} attempts)`;
      }
      throw failure.error;
    }
    const wait = Math.min(maxDelay, Math.max(backoffDelay(attempt, options), failure.waitMs ?? 0));
    try {
      await sleep(wait, options.signal);
    } catch (e) {
      throw cancelled(options, e);
    }
  }
}

function cancelled(options: PostJsonOptions, cause: unknown): EngramError {
  return new EngramError(options.errorCode, `The request to the ${options.what} was cancelled.`, undefined, {
    cause,
  });
}

async function attemptOnce(
  options: PostJsonOptions,
  headers: Record<string, string>,
  payload: string,
  timeoutMs: number,
  attemptNumber: number,
): Promise<AttemptFailure | { value: unknown }> {
  const { url, what, errorCode } = options;
  if (options.signal?.aborted) throw cancelled(options, options.signal.reason);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  const details = { url, attempt: attemptNumber };
  try {
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method: 'POST', headers, body: payload, signal });
      text = await response.text();
    } catch (e) {
      if (options.signal?.aborted) throw cancelled(options, e);
      if (timeout.signal.aborted) {
        return new AttemptFailure(
          new EngramError(
            ErrorCodes.TIMEOUT,
            `The ${what} at ${url} did not answer within ${timeoutMs} ms; raise timeoutMs or check the server.`,
            details,
            { cause: e },
          ),
          true,
        );
      }
      const reason = (e as { cause?: { code?: string; message?: string } }).cause;
      return new AttemptFailure(
        new EngramError(
          errorCode,
          `Could not reach the ${what} at ${url}: ${reason?.code ?? reason?.message ?? (e as Error).message}.`,
          details,
          { cause: e },
        ),
        true,
      );
    }
    if (!response.ok) {
      return new AttemptFailure(
        new EngramError(
          errorCode,
          `The ${what} at ${url} answered HTTP ${response.status}: ${serverMessage(text) || response.statusText}.${statusHint(response.status)}`,
          { ...details, status: response.status },
        ),
        isRetryableStatus(response.status),
        retryAfterMs(response.headers),
      );
    }
    try {
      return { value: JSON.parse(text) as unknown };
    } catch (e) {
      return new AttemptFailure(
        new EngramError(
          errorCode,
          `The ${what} at ${url} answered with invalid JSON: ${JSON.stringify(text.slice(0, 80))}.`,
          details,
          { cause: e },
        ),
        false,
      );
    }
  } finally {
    clearTimeout(timer);
  }
}
