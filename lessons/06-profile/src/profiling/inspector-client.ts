/**
 * Attaching to a running Node process: open its inspector with SIGUSR1, then speak the
 * Chrome DevTools Protocol to it over a WebSocket, as DevTools does. What `attach.ts` and
 * test/inspector.test.ts use; Chrome's chrome://inspect is the same with a UI.
 */
import type { ChildProcess } from 'node:child_process';

/** One DevTools Protocol connection. */
export interface InspectorClient {
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  close(): void;
}

/** The part of the WHATWG WebSocket this needs (global from Node 22; Node 20: --experimental-websocket). */
interface MinimalWebSocket {
  onopen: (() => void) | null;
  onerror: (() => void) | null;
  onclose: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}

/** Whether this Node has a WebSocket client (Node 22+, or Node 20 with --experimental-websocket). */
export const hasWebSocket = typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function';

/** Connects to `ws://host:port/<id>`, the URL the inspector prints. */
export async function connectInspector(url: string): Promise<InspectorClient> {
  const WebSocketClass = (globalThis as { WebSocket?: new (url: string) => MinimalWebSocket }).WebSocket;
  if (!WebSocketClass) throw new Error(`${process.version} has no WebSocket client: use Node 22 or later, or run Node 20 with --experimental-websocket (npm run inspect:attach adds it)`);
  const socket = new WebSocketClass(url);
  await new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error(`cannot connect to the inspector at ${url}`));
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return; // events (Profiler.consoleProfileStarted…) are not used here
    pending.delete(message.id!);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  };
  socket.onclose = () => {
    for (const waiter of pending.values()) waiter.reject(new Error('the inspector connection closed'));
    pending.clear();
  };
  return {
    send: <T>(method: string, params: Record<string, unknown> = {}) => new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      socket.send(JSON.stringify({ id, method, params }));
    }),
    close: () => socket.close(),
  };
}

/**
 * Sends SIGUSR1 to `child` (whose stderr is a pipe) and resolves with the WebSocket URL from
 * its `Debugger listening on ws://…` line. A process started without --inspect opens its
 * inspector on this signal, on 127.0.0.1 and --inspect-port (9229 unless set; 0 = any free).
 */
export function openInspectorWithSignal(child: ChildProcess, timeoutMs = 10_000): Promise<string> {
  const stderr = child.stderr;
  if (!stderr) throw new Error('the child\'s stderr must be a pipe to read the inspector URL');
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => { stderr.off('data', onData); reject(new Error(`no "Debugger listening" line within ${timeoutMs} ms`)); }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const match = /Debugger listening on (ws:\/\/\S+)/.exec(text);
      if (match) { clearTimeout(timer); stderr.off('data', onData); resolve(match[1]!); }
    };
    stderr.on('data', onData);
    // LESSON: the signal DevTools' "attach to a running process" relies on (Linux, macOS)
    child.kill('SIGUSR1');
  });
}
