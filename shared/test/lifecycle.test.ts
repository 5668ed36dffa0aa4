import { createHook } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMaxConnections, loadConfig, startServer, type RunningServer } from '../src/index.ts';
import { tsxImportArgs } from '../src/bench/spawn-server.ts';

/** A promise and the function that resolves it: how a handler tells the test "I got here". */
function signal<T = void>(): { promise: Promise<T>; fire: (value: T) => void } {
  let fire!: (value: T) => void;
  const promise = new Promise<T>((resolve) => { fire = resolve; });
  return { promise, fire };
}

interface Answer { status: number; connection: string | undefined; body: string; socketPort: number }

/** A failed request, and whether it went out on a socket an earlier request had used. */
class RequestFailure extends Error {
  constructor(readonly code: string, readonly reusedSocket: boolean, readonly socketAt: number) {
    super(`${code} on a ${reusedSocket ? 'reused' : 'new'} socket`);
  }
}

/** One request through `agent` (keep-alive when the agent is). */
function send(url: string, agent: Agent | false, method = 'GET', body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} }, (res: IncomingMessage) => {
      const socketPort = res.socket.localPort ?? 0;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text, socketPort }));
      res.on('error', reject);
    });
    let socketAt = Number.NaN;
    req.once('socket', () => { socketAt = performance.now(); });
    req.on('error', (error: NodeJS.ErrnoException) => reject(new RequestFailure(error.code ?? error.message, req.reusedSocket, socketAt)));
    req.end(body);
  });
}

describe('startServer: close()', () => {
  it('lets an in-flight request finish, then refuses new connections and runs onClose', async () => {
    let closed = false;
    const reached = signal();
    const release = signal();
    const running = await startServer(createServer(async (_req, res) => {
      reached.fire();
      await release.promise;
      res.end('done');
    }), { onClose: () => { closed = true; } });

    const inFlight = fetch(running.url);
    await reached.promise;
    const closing = running.close();
    release.fire();
    const response = await inFlight;
    expect(await response.text()).toBe('done');
    expect(response.headers.get('connection')).toBe('close');
    expect(await closing).toEqual({ timedOut: false });
    expect(closed).toBe(true);
    await expect(fetch(running.url)).rejects.toThrow();
  });

  it('cuts connections that outlive the shutdown deadline', async () => {
    const reached = signal();
    const running = await startServer(createServer(() => { reached.fire(); /* never answers */ }), { shutdownTimeoutMs: 100 });
    const hanging = fetch(running.url).catch((error: unknown) => error);
    await reached.promise;
    expect(await running.close()).toEqual({ timedOut: true });
    expect(await hanging).toBeInstanceOf(Error);
  });

  it('returns the same promise when closed twice', async () => {
    const running = await startServer(createServer((_req, res) => res.end()));
    expect(running.close()).toBe(running.close());
    await running.close();
  });

  it('serves a request sent on an idle keep-alive socket during the grace period, with Connection: close', async () => {
    const running = await startServer(createServer((_req, res) => res.end('ok')), { idleGraceMs: 30_000 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await send(running.url, agent);
      expect(first.connection).toBe('keep-alive');
      const closing = running.close();
      const second = await send(running.url, agent);
      expect(second).toMatchObject({ status: 200, body: 'ok', connection: 'close', socketPort: first.socketPort });
      expect(await closing).toEqual({ timedOut: false });
    } finally {
      agent.destroy();
    }
  });

  it('closes a keep-alive socket that stays idle for the grace period, without waiting for the deadline', async () => {
    const running = await startServer(createServer((_req, res) => res.end('ok')), { idleGraceMs: 20, shutdownTimeoutMs: 60_000 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await send(running.url, agent);
      const [socket] = Object.values(agent.freeSockets).flat() as Socket[];
      expect(socket).toBeDefined();
      const socketClosed = once(socket!, 'close');
      expect(await running.close()).toEqual({ timedOut: false });
      await socketClosed;
    } finally {
      agent.destroy();
    }
  });

  it('serves a request on a connection accepted just before close(), before it sent anything', async () => {
    const server = createServer((_req, res) => res.end('late but served'));
    const accepted = signal();
    server.on('connection', () => accepted.fire());
    const running = await startServer(server, { idleGraceMs: 30_000 });
    const socket = connect(running.port, '127.0.0.1');
    await accepted.promise;
    const closing = running.close();
    const reply = await rawExchange(socket, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(reply.status).toBe(200);
    expect(reply.head).toMatch(/\r\nconnection: close\r\n/i);
    expect(reply.body).toBe('late but served');
    expect(await closing).toEqual({ timedOut: false });
  });

  for (const method of ['GET', 'POST'] as const) {
    it(`drains 50 keep-alive sockets that send ${method}s continuously without one failed request`, async () => {
      let answered = 0;
      const underLoad = signal();
      const running = await startServer(createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => { body += chunk.toString(); });
        req.on('end', () => {
          if (++answered === 500) underLoad.fire();
          res.setHeader('content-type', 'application/json');
          res.end(body || '{"ok":true}');
        });
      }), { idleGraceMs: 2000, shutdownTimeoutMs: 30_000 });
      const agent = new Agent({ keepAlive: true, maxSockets: 50 });
      // Failures on sockets that already carried a request: the race this drain removes.
      const failures: string[] = [];
      // A brand-new socket opened once the listener is closed cannot be served by this one
      // process (a cluster or load balancer sends it elsewhere); it must fail fast, not hang.
      const refusedAfterClose: string[] = [];
      let closeStartedAt = Number.POSITIVE_INFINITY;
      let toldToClose = 0;
      let sent = 0;
      // close() starts once every loop has had an answer: all 50 sockets are connected and in use.
      let loopsAnswered = 0;
      const allAnswered = signal();
      // Each client loop sends until the server says `Connection: close`, as a well-behaved
      // client does; any error or unexpected answer is a failure.
      const loop = async (): Promise<void> => {
        let answeredOnce = false;
        for (;;) {
          sent++;
          try {
            const reply = await send(running.url, agent, method, method === 'POST' ? JSON.stringify({ n: sent }) : undefined);
            if (reply.status !== 200) failures.push(`status ${reply.status}`);
            if (!answeredOnce) {
              answeredOnce = true;
              if (++loopsAnswered === 50) allAnswered.fire();
            }
            if (reply.connection === 'close') {
              toldToClose++;
              return;
            }
          } catch (error) {
            const failure = error as RequestFailure;
            (!failure.reusedSocket && failure.socketAt >= closeStartedAt ? refusedAfterClose : failures).push(failure.message);
            return;
          }
        }
      };
      try {
        const loops = Promise.all(Array.from({ length: 50 }, loop));
        await Promise.all([underLoad.promise, allAnswered.promise]);
        closeStartedAt = performance.now();
        const outcome = await running.close();
        await loops;
        expect(failures).toEqual([]);
        expect(toldToClose + refusedAfterClose.length).toBe(50);
        expect(toldToClose).toBeGreaterThan(0);
        expect(outcome).toEqual({ timedOut: false });
      } finally {
        agent.destroy();
      }
    }, 60_000);
  }
});

/** Writes raw bytes on a socket and reads the whole answer (until the server closes). */
async function rawExchange(socket: Socket, bytes: string): Promise<{ status: number; head: string; body: string }> {
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => { data += chunk; });
  const ended = once(socket, 'close');
  socket.write(bytes);
  await ended;
  const split = data.indexOf('\r\n\r\n');
  const head = split < 0 ? data : data.slice(0, split + 2);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: split < 0 ? '' : data.slice(split + 4) };
}

describe('startServer: requests Node refuses before the app answer in the JSON error shape', () => {
  const bigHeader = `X-Big: ${'a'.repeat(20_000)}\r\n`;
  const cases: Array<[name: string, raw: string, status: number, code: string]> = [
    ['a Content-Length that is not a number', 'POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400, 'BAD_REQUEST'],
    ['two different Content-Lengths', 'POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab', 400, 'BAD_REQUEST'],
    ['Content-Length beside Transfer-Encoding: chunked', 'POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a chunk size that is not hexadecimal', 'POST /items HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a Transfer-Encoding that does not end in chunked', 'POST /items HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a bare LF ending the header lines', 'GET /items HTTP/1.1\nHost: x\n\n', 400, 'BAD_REQUEST'],
    ['a space inside a header name', 'GET /items HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a control character in the URL', 'GET /it\x01ems HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'BAD_REQUEST'],
    ['an unknown HTTP version', 'GET /items HTTP/7.3\r\nHost: x\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a method that is not a token', 'G@T /items HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'BAD_REQUEST'],
    ['an HTTP/1.1 request without Host', 'GET /items HTTP/1.1\r\n\r\n', 400, 'BAD_REQUEST'],
    ['headers over maxHeaderSize', `GET /items HTTP/1.1\r\nHost: x\r\n${bigHeader}\r\n`, 431, 'HEADERS_TOO_LARGE'],
    ['an Expect value the server does not know', 'GET /items HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n', 417, 'EXPECTATION_FAILED'],
  ];

  let server: RunningServer;
  // Reads the whole body before answering, as an API does: body framing errors come after `request`.
  beforeAll(async () => { server = await startServer((req, res) => { req.resume(); req.on('end', () => res.end('served')); }); });
  afterAll(async () => { await server?.close(); });

  for (const [name, raw, status, code] of cases) {
    it(`answers ${status} ${code} for ${name}, then keeps serving`, async () => {
      const reply = await rawExchange(connect(server.port, '127.0.0.1'), raw);
      expect(reply.status).toBe(status);
      expect(reply.head).toMatch(/\r\ncontent-type: application\/json/i);
      const body = JSON.parse(reply.body) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message).toEqual(expect.any(String));
      expect(reply.body).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
      expect(await (await fetch(server.url)).text()).toBe('served');
    });
  }
});

describe('serve(): a forked server does not outlive its parent', () => {
  it('exits when the process that forked it is SIGKILLed', async () => {
    const parentEntry = fileURLToPath(new URL('./fixtures/lifecycle/parent.ts', import.meta.url));
    const parent = spawn(process.execPath, [...tsxImportArgs, parentEntry], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    parent.stdout.setEncoding('utf8');
    const reported = new Promise<number>((resolve, reject) => {
      parent.stdout.on('data', (chunk: string) => {
        out += chunk;
        const match = /"childPid":(\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      parent.once('exit', (code) => reject(new Error(`parent exited (${code}) before its child listened`)));
    });
    const childPid = await reported;
    expect(isAlive(childPid)).toBe(true);

    parent.kill('SIGKILL');
    await once(parent, 'exit');
    // The child is not ours, so there is no exit event to wait for: poll its pid (bounded).
    const gone = await waitUntil(() => !isAlive(childPid), 20_000);
    if (!gone) process.kill(childPid, 'SIGKILL');
    expect(gone).toBe(true);
  }, 60_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return condition();
}


describe('startServer: a closed server is fully closed', () => {
  it('stops every timer it started, including http.Server\'s connections-check interval', async () => {
    // Timers created while the hook is on and not yet cleared (destroy fires on clearTimeout/
    // clearInterval). Node's connections-check interval is unref'd, so it never kept a process
    // alive: it ran every 30 s for each closed server, keeping the server and its app in memory.
    const live = new Map<number, string>();
    const hook = createHook({
      init(id, type) { if (type === 'Timeout') live.set(id, new Error().stack ?? ''); },
      destroy(id) { live.delete(id); },
    });
    hook.enable();
    let running: RunningServer | undefined;
    try {
      running = await startServer(createServer((_req, res) => { res.end('ok'); }), { idleGraceMs: 50 });
      expect(live.size).toBeGreaterThan(0); // the interval, started by listen()
      const answer = await send(running.url, false);
      expect(answer.body).toBe('ok');
      await running.close();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      hook.disable();
    }
    expect(running.server.listening).toBe(false);
    // Node's Date-header cache is one 1 s timer per process, not per server.
    expect([...live.values()].filter((stack) => !stack.includes('utcDate'))).toEqual([]);
  });
});

describe('startServer: maxConnections', () => {
  it('closes a connection beyond the cap at once and keeps serving the ones it holds', async () => {
    const running = await startServer(createServer((_req, res) => { res.end('ok'); }), { maxConnections: 2 });
    const held: Socket[] = [];
    try {
      expect(running.server.maxConnections).toBe(2);
      for (let i = 0; i < 2; i++) {
        const socket = connect(running.port, '127.0.0.1');
        await once(socket, 'connect');
        held.push(socket);
      }
      // Each held connection is open on the server's side (a request on it is answered).
      for (const socket of held) expect((await exchangeOnOpenSocket(socket)).status).toBe(200);

      const third = connect(running.port, '127.0.0.1');
      let data = '';
      third.on('data', (chunk: Buffer) => { data += chunk.toString(); });
      third.on('error', () => {}); // a reset is as good as a close here
      third.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      await once(third, 'close');
      expect(data).toBe('');

      // The held ones still work; once one closes, a new connection is served.
      expect((await exchangeOnOpenSocket(held[0]!)).status).toBe(200);
      held.pop()!.destroy();
      await waitUntil(() => running.server.listening, 1000);
      const deadline = Date.now() + 10_000;
      let status = 0;
      while (status !== 200 && Date.now() < deadline) {
        status = await send(running.url, false).then((a) => a.status, () => 0);
      }
      expect(status).toBe(200);
    } finally {
      for (const socket of held) socket.destroy();
      await running.close();
    }
  });

  it('defaults to 1000, and MAX_CONNECTIONS sets it through loadConfig', async () => {
    const running = await startServer(createServer(() => {}));
    try {
      expect(running.server.maxConnections).toBe(defaultMaxConnections);
      expect(defaultMaxConnections).toBe(1000);
    } finally {
      await running.close();
    }
    expect(loadConfig({ MAX_CONNECTIONS: '50' }).maxConnections).toBe(50);
    expect(() => loadConfig({ MAX_CONNECTIONS: '0' })).toThrow(/MAX_CONNECTIONS/);
  });
});

/** One keep-alive request on an open raw socket; resolves with the status once the head arrives. */
function exchangeOnOpenSocket(socket: Socket): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    let data = '';
    const onData = (chunk: Buffer): void => {
      data += chunk.toString();
      if (!data.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  });
}
