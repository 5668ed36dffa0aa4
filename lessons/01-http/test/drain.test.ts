import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createBareHandler } from '../src/index.ts';
import { drainNaively } from '../src/drain-naive.ts';
import { trackForDrain } from '../src/drain.ts';

const get = 'GET /index HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

/** What a raw keep-alive client saw on its socket until the socket ended. */
interface Seen { text: string; error?: string }

/**
 * A raw socket (no agent, no retries): everything the server sent and how the socket ended.
 * `until` resolves the first time the text received so far satisfies it.
 */
function rawClient(port: number): { socket: Socket; ended: Promise<Seen>; until(test: (text: string) => boolean): Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  const waiters: Array<{ test: (text: string) => boolean; resolve: () => void }> = [];
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    for (const waiter of waiters.splice(0)) {
      if (waiter.test(text)) waiter.resolve();
      else waiters.push(waiter);
    }
  });
  const ended = new Promise<Seen>((resolve) => {
    let error: string | undefined;
    socket.on('error', (err: NodeJS.ErrnoException) => { error = err.code ?? err.message; });
    socket.on('close', () => resolve({ text, ...(error ? { error } : {}) }));
  });
  return {
    socket,
    ended,
    until: (test) => new Promise<void>((resolve) => {
      if (test(text)) resolve();
      else waiters.push({ test, resolve });
    }),
  };
}

const responses = (text: string): number => text.split('HTTP/1.1 ').length - 1;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('draining a server that has keep-alive clients', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.closeAllConnections();
  });

  it('naive (close + closeIdleConnections): a request written on the idle socket as the drain starts gets a reset, no response', async () => {
    const server = createServer(createBareHandler());
    servers.push(server);
    const client = rawClient(await listen(server));
    client.socket.write(get);
    await client.until((text) => responses(text) === 1 && text.endsWith('}'));

    // The client writes its next request; the server has not read it yet when it drains.
    client.socket.write(get);
    const closed = drainNaively(server);

    const seen = await client.ended;
    expect(responses(seen.text)).toBe(1); // the second request was never answered
    expect(seen.error).toBe('ECONNRESET');
    await closed;
  });

  it('graceful: the same request is answered with Connection: close, then the socket closes and the drain completes', async () => {
    const server = createServer(createBareHandler());
    servers.push(server);
    const drain = trackForDrain(server);
    const client = rawClient(await listen(server));
    client.socket.write(get);
    await client.until((text) => responses(text) === 1 && text.endsWith('}'));
    expect(client.socket.destroyed).toBe(false);

    client.socket.write(get);
    const drained = drain.drain({ idleGraceMs: 60_000, deadlineMs: 120_000 });

    const seen = await client.ended;
    expect(seen.error).toBeUndefined();
    expect(responses(seen.text)).toBe(2);
    const second = seen.text.slice(seen.text.lastIndexOf('HTTP/1.1 '));
    expect(second).toMatch(/^HTTP\/1\.1 200 /);
    expect(second.toLowerCase()).toContain('connection: close');
    // The server closed the socket after the response, long before the idle grace period.
    expect(await drained).toEqual({ timedOut: false });
  });

  it('graceful: stops accepting at once, and closes a socket that stays idle after the grace period', async () => {
    const server = createServer(createBareHandler());
    servers.push(server);
    const drain = trackForDrain(server);
    const port = await listen(server);
    const client = rawClient(port);
    client.socket.write(get);
    await client.until((text) => responses(text) === 1 && text.endsWith('}'));

    const drained = drain.drain({ idleGraceMs: 200, deadlineMs: 120_000 });
    const refused = await new Promise<string>((resolve) => {
      const late = connect(port, '127.0.0.1');
      late.on('connect', () => { late.destroy(); resolve('accepted'); });
      late.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    expect(refused).toBe('ECONNREFUSED');

    const seen = await client.ended; // closed by the server: we sent nothing more
    expect(seen.error).toBeUndefined();
    expect(responses(seen.text)).toBe(1);
    expect(await drained).toEqual({ timedOut: false });
  });

  it('graceful: a request still running at the deadline is cut and the drain reports it', async () => {
    const server = createServer((_req, _res) => { /* never answers */ });
    servers.push(server);
    const drain = trackForDrain(server);
    const client = rawClient(await listen(server));
    client.socket.write(get);
    await new Promise<void>((resolve) => {
      const poll = (): void => { if (drain.inFlight() === 1) resolve(); else setTimeout(poll, 10); };
      poll();
    });

    const drained = drain.drain({ idleGraceMs: 50, deadlineMs: 300 });
    expect(await drained).toEqual({ timedOut: true });
    const seen = await client.ended;
    expect(responses(seen.text)).toBe(0);
  });
});
