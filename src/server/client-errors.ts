/**
 * Answers for errors Node's HTTP parser raises before a request reaches Fastify: a request line or headers
 * that took too long (408), headers too large (431), or bytes that are not HTTP (400). They use the same
 * `{"error": {"code", "message"}}` body as every other error of the API.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

interface ParserError extends Error {
  code?: string;
}

function answer(err: ParserError): { status: number; reason: string; code: string; message: string } {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        reason: 'Request Timeout',
        code: 'TIMEOUT',
        message:
          'The request was not received in time (see headersTimeoutMs and receiveTimeoutMs); send it faster or in smaller parts.',
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The request line and headers are too large; shorten the URL or the headers.',
      };
    default:
      return {
        status: 400,
        reason: 'Bad Request',
        code: 'INVALID_INPUT',
        message: 'The request is not valid HTTP/1.1.',
      };
  }
}

export function clientErrorHandler(this: FastifyInstance, err: ParserError, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const a = answer(err);
  this.log.debug({ code: err.code }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify({ error: { code: a.code, message: a.message } });
    socket.write(
      `HTTP/1.1 ${a.status} ${a.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
