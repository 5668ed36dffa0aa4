/**
 * Attaching the inspector to a running process, and what reaching it means: the behaviours
 * the README's "attach" section and src/profiling/attach.ts rely on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { connectInspector, hasWebSocket, openInspectorWithSignal } from '../src/profiling/inspector-client.ts';

const children: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map(async (child) => {
    if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await once(child, 'exit'); }
  }));
});

/** A Node process that idles until killed, with stderr piped; resolves once its code runs. */
async function idleProcess(nodeArgs: string[], code = ''): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '-e', `${code}; console.log('ready'); setInterval(() => {}, 1000)`], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('ready')) resolve(); });
    child.once('exit', (c) => reject(new Error(`exited early (${c})`)));
  });
  return child;
}

describe('the inspector of a running process', () => {
  it('opens on SIGUSR1, on 127.0.0.1 only, for a process started without --inspect', async () => {
    const child = await idleProcess(['--inspect-port=0']);
    const url = new URL(await openInspectorWithSignal(child));
    expect(url.protocol).toBe('ws:');
    expect(url.hostname).toBe('127.0.0.1');
    const list = (await (await fetch(`http://127.0.0.1:${url.port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
    expect(list.map((t) => t.webSocketDebuggerUrl)).toEqual([url.href]);
  });

  it('opens from inside with inspector.open(0), also on 127.0.0.1 unless told otherwise', async () => {
    const child = await idleProcess([], "console.log(require('node:inspector').open(0) && require('node:inspector').url())");
    const line = await new Promise<string>((resolve) => {
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => { text += chunk.toString(); const m = /ws:\/\/\S+/.exec(text); if (m) resolve(m[0]); });
      // The first line may already have arrived with 'ready'.
      child.stderr!.on('data', (chunk: Buffer) => { const m = /ws:\/\/\S+/.exec(chunk.toString()); if (m) resolve(m[0]); });
    });
    expect(new URL(line).hostname).toBe('127.0.0.1');
  });

  // Node 20 has no WebSocket client without --experimental-websocket (see the README's table).
  it.runIf(hasWebSocket)('runs whatever code a client sends: reaching the port is running code in the process', async () => {
    const child = await idleProcess(['--inspect-port=0'], 'globalThis.secret = 42');
    const inspector = await connectInspector(await openInspectorWithSignal(child));
    try {
      const pid = await inspector.send<{ result: { value: number } }>('Runtime.evaluate', { expression: 'process.pid', returnByValue: true });
      const secret = await inspector.send<{ result: { value: number } }>('Runtime.evaluate', { expression: 'globalThis.secret', returnByValue: true });
      expect(pid.result.value).toBe(child.pid);
      expect(secret.result.value).toBe(42);
    } finally {
      inspector.close();
    }
  });
});
