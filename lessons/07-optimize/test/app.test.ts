import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '@course/shared';
import { createTestDatabase, listen, requestJson } from '@course/shared/testing';
import { createOptimizeApp } from '../src/app.ts';
import { makeFile } from '../src/files.ts';
import { catalogueBody } from '../src/hello.ts';

const db = createTestDatabase(500);
const baseDir = mkdtempSync(join(tmpdir(), 'lesson-07-'));
const filesDir = join(baseDir, 'files'); // what the routes serve
const secret = 'not for download'; // in baseDir/secret.txt: one step outside filesDir
const metrics = createMetrics();
let server: Awaited<ReturnType<typeof listen>>;
const fileBytes = 4 * 1024 * 1024;

beforeAll(async () => {
  await makeFile(join(filesDir, 'small.bin'), fileBytes);
  writeFileSync(join(baseDir, 'secret.txt'), secret);
  server = await listen(createOptimizeApp({ db, filesDir, metrics }));
});

afterAll(async () => {
  await server.close();
  metrics.close();
  db.close();
  rmSync(baseDir, { recursive: true, force: true });
});

/**
 * GET `path` exactly as written: fetch (and `new URL`) would resolve `../` and could re-encode
 * the path, so the server would never see the traversal.
 */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = request({ host: hostname, port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Open file descriptors of this process pointing into `dir` (Linux /proc). */
function openFilesIn(dir: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    // An fd can close between readdir and readlink; that one is not open any more.
    try { return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir); } catch { return false; }
  }).length;
}

describe('pre-encoded Buffer vs string per request', () => {
  it('serves byte-identical bodies and headers from both routes', async () => {
    const [a, b] = await Promise.all([fetch(`${server.url}/catalogue/string`), fetch(`${server.url}/catalogue/buffer`)]);
    const [ta, tb] = await Promise.all([a.text(), b.text()]);
    expect(ta).toBe(tb);
    expect(JSON.parse(ta)).toEqual(catalogueBody());
    expect(a.headers.get('content-length')).toBe(b.headers.get('content-length'));
    expect(a.headers.get('content-type')).toBe(b.headers.get('content-type'));
  });
});

describe('the generated file', () => {
  it('says what it writes, where, and how to remove it, before writing; and nothing when the file is there', async () => {
    const messages: string[] = [];
    const path = join(filesDir, 'announced.bin');
    await makeFile(path, 1024, (m) => messages.push(m));
    await makeFile(path, 1024, (m) => messages.push(m));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/announced\.bin \(0 MiB, git-ignored.*remove it with: rm /);
  });
});

describe('file downloads', () => {
  it('buffered and streamed downloads deliver the whole file', async () => {
    for (const mode of ['buffered', 'stream']) {
      const response = await fetch(`${server.url}/files/small.bin/${mode}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe(String(fileBytes));
      expect((await response.arrayBuffer()).byteLength).toBe(fileBytes);
    }
  });

  it('answers HEAD with the length and no body', async () => {
    const response = await fetch(`${server.url}/files/small.bin/stream`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(fileBytes));
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers 404 for a missing file', async () => {
    expect((await requestJson(`${server.url}/files/nope.bin/stream`)).status).toBe(404);
  });

  it.each([
    ['%2e%2e%2fsecret.txt', 'encoded dots and slash'],
    ['..%2fsecret.txt', 'encoded slash'],
    ['..%2Fsecret.txt', 'encoded slash, upper case'],
  ])('answers 400 naming `name` for %s (%s), a name that leaves the folder, on both routes', async (name) => {
    for (const mode of ['stream', 'buffered']) {
      const res = await rawGet(server.url, `/files/${name}/${mode}`);
      expect(res.body).not.toContain(secret);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error.details[0].field).toBe('name');
    }
  });

  it('never serves a file outside the folder for a literal ../ in the path', async () => {
    for (const path of ['/files/../secret.txt/stream', '/files/..%2f../secret.txt/buffered', '/files/x/../../secret.txt']) {
      const res = await rawGet(server.url, path);
      expect(res.body).not.toContain(secret);
      expect([400, 404]).toContain(res.status);
    }
  });

  it('an aborted streamed download leaves no open file descriptor', async (ctx) => {
    ctx.skip(process.platform !== 'linux', 'counts open files in /proc/self/fd, which only Linux has');
    const before = openFilesIn(filesDir);
    const controller = new AbortController();
    const response = await fetch(`${server.url}/files/small.bin/stream`, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read(); // the server has opened the file and is sending
    expect(openFilesIn(filesDir)).toBe(before + 1);
    controller.abort();
    await reader.closed.catch(() => undefined);
    // The server notices the reset on its next loop turns; wait for the fd to go (bounded).
    for (let i = 0; i < 200 && openFilesIn(filesDir) > before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(openFilesIn(filesDir)).toBe(before);
    // And the server keeps serving.
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('buffered downloads under npm start (one at a time)', () => {
  const bigBytes = 48 * 1024 * 1024;

  /**
   * Starts a buffered download of big.bin on a raw socket and stops reading after the first
   * bytes: large enough that the socket buffers cannot take it all, so the server holds the
   * file (and its slot) until the socket is destroyed.
   */
  async function holdBufferedDownload(url: string): Promise<Socket> {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    await new Promise<void>((resolve) => {
      socket.once('data', () => { socket.pause(); resolve(); });
      socket.write('GET /files/big.bin/buffered HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    });
    return socket;
  }

  beforeAll(async () => { await makeFile(join(filesDir, 'big.bin'), bigBytes); });

  it('answers a second concurrent buffered download 503 with Retry-After and the JSON error, and serves again once the first is done', async () => {
    const capped = await listen(createOptimizeApp({ db, filesDir, maxBufferedDownloads: 1 }));
    let holder: Socket | undefined;
    try {
      holder = await holdBufferedDownload(capped.url);

      const refused = await fetch(`${capped.url}/files/small.bin/buffered`);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('UNAVAILABLE');
      expect(body.error.message).toContain('/files/small.bin/stream');
      // Streaming is not capped.
      expect((await fetch(`${capped.url}/files/small.bin/stream`).then((r) => r.arrayBuffer())).byteLength).toBe(fileBytes);

      holder.destroy(); // the first client goes away: its slot is free
      let status = 0;
      for (let i = 0; i < 500 && status !== 200; i++) {
        const response = await fetch(`${capped.url}/files/small.bin/buffered`);
        status = response.status;
        await response.arrayBuffer();
        if (status !== 200) await new Promise((r) => setTimeout(r, 10));
      }
      expect(status).toBe(200);
    } finally {
      holder?.destroy();
      await capped.close();
    }
  }, 60_000);

  it('serves as many buffered downloads at once as maxBufferedDownloads allows', async () => {
    const wide = await listen(createOptimizeApp({ db, filesDir, maxBufferedDownloads: 2 }));
    let holder: Socket | undefined;
    try {
      holder = await holdBufferedDownload(wide.url);
      const second = await fetch(`${wide.url}/files/small.bin/buffered`);
      expect(second.status).toBe(200);
      expect((await second.arrayBuffer()).byteLength).toBe(fileBytes);
    } finally {
      holder?.destroy();
      await wide.close();
    }
  }, 60_000);
});

describe('statistics computed once per write', () => {
  it('recompute and cached agree, and the cache computes once for many reads', async () => {
    const first = await requestJson(`${server.url}/stats/cached`);
    const before = (await requestJson(`${server.url}/metrics`)).body.custom.optimize.statsComputations;
    for (let i = 0; i < 5; i++) await requestJson(`${server.url}/stats/cached`);
    const after = (await requestJson(`${server.url}/metrics`)).body.custom.optimize.statsComputations;
    expect(after).toBe(before);
    expect(first.body).toEqual((await requestJson(`${server.url}/stats/recompute`)).body);
  });

  it('reflects a create, an update and a delete on the very next read', async () => {
    const count = async (): Promise<number> => (await requestJson(`${server.url}/stats/cached`)).body.categories
      .find((c: { category: string }) => c.category === 'books')?.count ?? 0;
    const start = await count();
    const created = await requestJson(`${server.url}/items`, { method: 'POST', body: { sku: 'T-07-1', name: 'Test book', category: 'books', priceCents: 1234, tags: [] } });
    expect(created.status).toBe(201);
    expect(await count()).toBe(start + 1);
    expect((await requestJson(`${server.url}/items/${created.body.id}`, { method: 'PATCH', body: { category: 'toys' } })).status).toBe(200);
    expect(await count()).toBe(start);
    expect((await requestJson(`${server.url}/stats/cached`)).body).toEqual((await requestJson(`${server.url}/stats/recompute`)).body);
    expect((await fetch(`${server.url}/items/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await requestJson(`${server.url}/stats/cached`)).body).toEqual((await requestJson(`${server.url}/stats/recompute`)).body);
  });
});

describe('/suggest', () => {
  it('suggests the nearest category and rejects a missing query with 400 naming q', async () => {
    const r = await requestJson(`${server.url}/suggest?q=kitchn`);
    expect(r.body.suggestions[0]).toBe('kitchen');
    const bad = await requestJson(`${server.url}/suggest`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('q');
  });
});
