import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createMetrics, notFound, type RunningServer } from '../src/index.ts';
import { listen, requestJson } from '../src/testing.ts';

describe('createApp', () => {
  let server: RunningServer;
  const logged: unknown[] = [];
  const metrics = createMetrics();

  beforeAll(async () => {
    const app = createApp({
      metrics,
      bodyLimit: '1kb',
      logError: (error) => logged.push(error),
      routes: (a) => {
        a.post('/echo', (req, res) => { res.json({ got: req.body }); });
        a.get('/boom', () => { throw new Error('secret internals at /srv/app.ts:12'); });
        a.get('/missing', () => { throw notFound('Widget'); });
        a.get('/param/:id', (req, res) => { res.json({ id: req.params.id }); });
      },
    });
    server = await listen(app);
  });
  afterAll(async () => {
    await server.close();
    metrics.close();
  });

  it('turns malformed JSON into a 400 with the error shape', async () => {
    const res = await requestJson(`${server.url}/echo`, { method: 'POST', body: '{"a":' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST', requestId: expect.any(String) });
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await requestJson(`${server.url}/echo`, { method: 'POST', body: { text: 'x'.repeat(2000) } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 415 for a write that is not JSON', async () => {
    const res = await fetch(`${server.url}/echo`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 400, not 500, for a body whose Content-Encoding does not decode', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await requestJson(`${server.url}/echo`, { method: 'POST', body: 'not compressed', headers: { 'content-encoding': encoding } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST', message: 'Request body could not be decoded' });
    }
  });

  it('answers 400, not 500, for a path parameter with broken percent-encoding', async () => {
    const res = await requestJson(`${server.url}/param/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST', message: 'Malformed percent-encoding in the URL' });
  });

  it('hides unexpected errors behind a generic 500 and logs them', async () => {
    const res = await requestJson(`${server.url}/boom`);
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('secret');
    expect(res.body.error.code).toBe('INTERNAL');
    expect(logged).toHaveLength(1);
  });

  it('returns JSON 404s for unknown routes and for thrown notFound', async () => {
    const route = await requestJson(`${server.url}/nowhere`);
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe('NOT_FOUND');
    expect((await requestJson(`${server.url}/missing`)).body.error.message).toBe('Widget not found');
  });

  it('keeps a well-formed incoming request id and never sends X-Powered-By', async () => {
    const res = await fetch(`${server.url}/nowhere`, { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(((await res.json()) as any).error.requestId).toBe('abc-123');
  });

  it('rejects a JSON body that is not valid UTF-8 with 400, instead of storing U+FFFD', async () => {
    // "\xff" and "\xc3(" are two different invalid sequences; decoded with replacement
    // they would both become "\ufffd" and read back as the same text.
    for (const bad of [Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), Buffer.from('{"a":"\xc3("}', 'latin1')]) {
      const res = await fetch(`${server.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bad });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: unknown }).error).toMatchObject({ code: 'BAD_REQUEST', message: 'Request body is not valid UTF-8' });
    }
    const good = await requestJson(`${server.url}/echo`, { method: 'POST', body: { a: 'é ✓ 😀' } });
    expect(good.body).toEqual({ got: { a: 'é ✓ 😀' } });
  });

  it('resets the measuring window only on POST /metrics/reset, and refuses GET /metrics?reset=1', async () => {
    const refused = await requestJson(`${server.url}/metrics?reset=1`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([{ field: 'query.reset', message: 'unknown field (reset is POST /metrics/reset)' }]);
    await requestJson(`${server.url}/param/1`);
    const before = metrics.snapshot().requests.latencyMs.max;
    expect(before).toBeGreaterThan(0);
    const reset = await requestJson(`${server.url}/metrics/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(reset.body.requests.latencyMs.max).toBeGreaterThan(0); // the window that just ended
    expect(metrics.snapshot().requests.latencyMs.max).toBe(0); // a new, empty window
    expect((await requestJson(`${server.url}/metrics/reset`)).status).toBe(404);
  });

  it('counts requests by status class in /metrics', async () => {
    const snapshot = (await requestJson(`${server.url}/metrics`)).body;
    expect(snapshot.requests.total).toBeGreaterThanOrEqual(5);
    expect(snapshot.requests.byStatus['4xx']).toBeGreaterThanOrEqual(4);
    expect(snapshot.memory.heapUsed).toBeGreaterThan(0);
  });
});
