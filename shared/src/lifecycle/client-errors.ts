/**
 * Requests that never reach the app, answered in the course's one JSON error shape.
 *
 * Node's HTTP parser (llhttp) rejects a malformed request before any `request` event: a bad
 * or doubled Content-Length, Content-Length beside Transfer-Encoding, a bad chunk size, a bare
 * LF, a header over `maxHeaderSize`… Node's default answer is a status line with an empty body
 * (`400 Bad Request`, `431`, `413`, `408`). An `Expect` header Node does not know gets an empty
 * 417, and an HTTP/1.1 request without `Host` an empty 400. Here each gets the same
 * `{ "error": { "code", "message" } }` body as every other error of the API.
 */
import { STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, errorBody } from '../http/errors.ts';

/** A parser error as Node passes it to `clientError`. */
interface ParserError extends Error {
  code?: string;
  /** llhttp's own words, e.g. "Duplicate Content-Length"; static text, safe to show. */
  reason?: string;
}

/** The ApiError for a parser error (exported for tests). */
export function parserErrorToApiError(error: ParserError): ApiError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new ApiError(431, 'HEADERS_TOO_LARGE', 'Request header fields are too large');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'Chunk extensions are too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ApiError(408, 'TIMEOUT', 'The request was not received in time');
    default: {
      const reason = typeof error.reason === 'string' && error.reason ? `: ${error.reason}` : '';
      return new ApiError(400, 'BAD_REQUEST', `Malformed HTTP request${reason}`);
    }
  }
}

/** The raw bytes of a complete JSON error response that closes the connection. */
function rawResponse(error: ApiError): string {
  const body = JSON.stringify(errorBody(error));
  return [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

function sendJson(res: ServerResponse, error: ApiError): void {
  const body = JSON.stringify(errorBody(error));
  res.writeHead(error.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    Connection: 'close',
  });
  res.end(body);
}

/**
 * Installs JSON answers for parser errors (`clientError`) and unknown `Expect` values
 * (`checkExpectation`), unless the server already handles them.
 */
export function answerClientErrorsAsJson(server: Server): void {
  if (server.listenerCount('clientError') === 0) {
    server.on('clientError', (error: ParserError, socket: Duplex) => {
      // The peer is gone, or part of a response is already on the wire: nothing to answer.
      const inProgress = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
      if (error.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
        socket.destroy();
        return;
      }
      socket.end(rawResponse(parserErrorToApiError(error)));
    });
  }
  if (server.listenerCount('checkExpectation') === 0) {
    server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
      sendJson(res, new ApiError(417, 'EXPECTATION_FAILED', `Unsupported Expect header "${String(req.headers.expect).slice(0, 100)}"`));
    });
  }
}

/**
 * Wraps a request listener so an HTTP/1.1 request without `Host` gets the JSON 400. Node
 * answers it itself (empty body) before any `request` event unless the server is created with
 * `requireHostHeader: false`, which is what {@link startServer} does for a listener it wraps.
 */
export function requireHost(handler: RequestListener): RequestListener {
  return (req, res) => {
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
      sendJson(res, new ApiError(400, 'BAD_REQUEST', 'HTTP/1.1 request without a Host header'));
      return;
    }
    handler(req, res);
  };
}
