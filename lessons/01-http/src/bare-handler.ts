/**
 * GET /index on bare node:http: no router, no middleware, the headers set by hand.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { errorBody, notFound } from '@course/shared';
import { indexBody, indexJson, indexPayload, jsonContentType } from './payload.ts';

/** Options for {@link createBareHandler}. */
export interface BareHandlerOptions {
  /**
   * - `buffer` (default): write the Buffer encoded at start-up.
   * - `string`: write the JSON string serialized at start-up (Node encodes it per write).
   * - `stringify`: JSON.stringify the payload on every request, as `res.json()` does.
   */
  body?: 'buffer' | 'string' | 'stringify';
}

function sendJson(res: ServerResponse, status: number, body: Buffer | string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', jsonContentType);
  // LESSON: a known length lets the client find the end of the body without chunked framing.
  // It is not what allows keep-alive: any framing that marks where the body ends does, chunked
  // included (Node falls back to it when you write() without a length, and the connection is
  // still reused). Only a body framed by closing the connection (HTTP/1.0 style) rules reuse
  // out. What Content-Length saves is the chunk headers and the terminating zero-length chunk.
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

function notFoundResponse(req: IncomingMessage, res: ServerResponse): void {
  // The same shape (and message) as the course's Express 404, built by the same factory.
  const path = (req.url ?? '/').split('?', 1)[0];
  sendJson(res, 404, JSON.stringify(errorBody(notFound(`Route ${req.method} ${path}`))));
}

/** The node:http version of `GET /index` (and a JSON 404 for everything else). */
export function createBareHandler(options: BareHandlerOptions = {}): RequestListener {
  const body = options.body ?? 'buffer';
  return (req, res) => {
    const path = req.url === '/index' ? '/index' : (req.url ?? '/').split('?', 1)[0];
    if (path !== '/index' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      notFoundResponse(req, res);
      return;
    }
    // Node (20 to 26: OutgoingMessage.prototype._send) writes a string body in one chunk with
    // the headers (it concatenates them); a Buffer body goes out as a second chunk of the same
    // writev. See the README.
    sendJson(res, 200, body === 'buffer' ? indexBody : body === 'string' ? indexJson : JSON.stringify(indexPayload));
  };
}
