import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startServer } from '../src/index.ts';

describe('startServer', () => {
  it('lets an in-flight request finish, then refuses new connections and runs onClose', async () => {
    let closed = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const running = await startServer(createServer(async (_req, res) => {
      await gate;
      res.end('done');
    }), { onClose: () => { closed = true; } });

    const inFlight = fetch(running.url);
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the request reach the handler
    const closing = running.close();
    release();
    const response = await inFlight;
    expect(await response.text()).toBe('done');
    expect(response.headers.get('connection')).toBe('close');
    expect(await closing).toEqual({ timedOut: false });
    expect(closed).toBe(true);
    await expect(fetch(running.url)).rejects.toThrow();
  });

  it('cuts connections that outlive the shutdown deadline', async () => {
    const running = await startServer(createServer(() => { /* never answers */ }), { shutdownTimeoutMs: 100 });
    const hanging = fetch(running.url).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await running.close()).toEqual({ timedOut: true });
    expect(await hanging).toBeInstanceOf(Error);
  });

  it('returns the same promise when closed twice', async () => {
    const running = await startServer(createServer((_req, res) => res.end()));
    expect(running.close()).toBe(running.close());
    await running.close();
  });
});
