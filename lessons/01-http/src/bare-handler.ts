/**
 * GET /index on bare node:http: no router, no middleware, the headers set by hand.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { errorBody, notFound } from '@course/shared';
import { indexBody, indexPayload, jsonContentType } from './payload.ts';

/** Options for {@link createBareHandler}. */
export interface BareHandlerOptions {
  /**
   * `true` (default): write the Buffer encoded at start-up.
   * `false`: JSON.stringify the payload on every request, as `res.json()` does.
   */
  preEncoded?: boolean;
}

function sendJson(res: ServerResponse, status: number, body: Buffer | string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', jsonContentType);
  // LESSON: a known length lets the client find the end of the body without chunked framing,
  // and is what lets the connection be reused for the next request (keep-alive).
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
  const preEncoded = options.preEncoded ?? true;
  return (req, res) => {
    const path = req.url === '/index' ? '/index' : (req.url ?? '/').split('?', 1)[0];
    if (path !== '/index' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      notFoundResponse(req, res);
      return;
    }
    sendJson(res, 200, preEncoded ? indexBody : JSON.stringify(indexPayload));
  };
}
