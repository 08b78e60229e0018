/**
 * The body of `POST /v1/import`, read as text chunk by chunk as it arrives. Fastify's own string parser joins
 * the whole body and decodes it in one step when the last byte is in: ~20 ms for 10 MB, over 100 ms for the
 * 64 MiB an import may be, during which the server answers nothing else. Here each network chunk is decoded
 * on arrival (a StringDecoder keeps characters split between chunks whole) and the chunks are never joined:
 * the JSONL parser reads lines across them (`parseMemoryJsonl`). The limits are Fastify's: a Content-Length
 * over the route's bodyLimit is refused before reading, a body growing past it is cut off at that point, and
 * a body shorter or longer than its Content-Length is refused.
 */
import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { errorCodes } from 'fastify';

export function readTextChunks(payload: IncomingMessage, limit: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const declared = Number(payload.headers['content-length']);
    if (declared > limit) {
      reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      return;
    }
    const decoder = new StringDecoder('utf8');
    const chunks: string[] = [];
    let received = 0;
    const stop = () => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += bytes.length;
      if (received > limit) {
        stop();
        reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
        return;
      }
      const text = decoder.write(bytes);
      if (text !== '') chunks.push(text);
    };
    const onEnd = () => {
      stop();
      if (!Number.isNaN(declared) && received !== declared) {
        reject(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
        return;
      }
      const rest = decoder.end();
      if (rest !== '') chunks.push(rest);
      resolve(chunks);
    };
    const onError = (e: Error & { statusCode?: number }) => {
      stop();
      if (!(typeof e.statusCode === 'number' && e.statusCode >= 400)) e.statusCode = 400;
      reject(e);
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
    payload.resume();
  });
}
