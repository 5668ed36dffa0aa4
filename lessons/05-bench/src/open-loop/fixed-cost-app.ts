/**
 * The sweep's target: `GET /spin?us=N` holds the event loop for N microseconds of busy work
 * (1–20,000) and answers 3 bytes. A known, fixed service time makes the queueing model
 * checkable: capacity is about 1/(N + the HTTP overhead), and with Poisson arrivals the mean
 * latency should follow M/D/1 (NOTES.md, "Poisson or evenly spaced"). Small answers keep the
 * generator's own cost low, so the sweep measures the server, not the generator.
 */
import type { RequestListener, ServerResponse } from 'node:http';
import { errorBody, notFound, validationError, type ApiError } from '@course/shared';

/** The longest spin one request may ask for: no request makes the server do unbounded work. */
export const maxSpinUs = 20_000;

/** The course's one error shape (`errorBody`), written without Express. */
function fail(res: ServerResponse, error: ApiError): void {
  res.writeHead(error.status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(errorBody(error)));
}

/** `GET /spin?us=N`: N µs of busy work, then `ok`; 400 for a bad N, 404 for anything else. */
export const fixedCostHandler: RequestListener = (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' || url.pathname !== '/spin') return fail(res, notFound(`Route ${req.method} ${url.pathname}`));
  const us = Number(url.searchParams.get('us'));
  if (!Number.isInteger(us) || us < 1 || us > maxSpinUs) return fail(res, validationError([{ field: 'query.us', message: `must be an integer from 1 to ${maxSpinUs}` }]));
  // LESSON: busy work on the event loop's thread, as a handler's CPU would be: requests that
  // arrive meanwhile wait in the socket buffers. That wait is the queue the sweep measures.
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
  res.setHeader('content-type', 'text/plain');
  res.end('ok\n');
};
