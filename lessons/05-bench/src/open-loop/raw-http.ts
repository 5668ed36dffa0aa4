/**
 * A minimal HTTP/1.1 client on raw TCP sockets, for the open-loop generator at high rates.
 *
 * Why: `http.request` costs the generator about as much CPU per request as a cached read costs
 * the server, so above a few thousand requests per second the generator, not the server, falls
 * behind its schedule. This client writes a request as one string and reads a response only as
 * far as the status line, Content-Length or chunk sizes: the same trick autocannon and wrk use
 * (a closed-loop tool cannot replace an open-loop one; see the README). One request per
 * connection at a time (no pipelining): a due request takes an idle connection or opens one.
 *
 * It understands what the course's servers send: Content-Length or chunked bodies, no body for
 * 1xx/204/304 or a HEAD request, and `connection: close`. Anything else is an error.
 */
import { connect, type Socket } from 'node:net';

export interface RawRequest { method: string; path: string; headers?: Record<string, string>; body?: string }
/** Called once per request: the status code, or the error ('timeout' for a timed-out request). */
export type RawCallback = (error: Error | undefined, status?: number) => void;

const crlfcrlf = Buffer.from('\r\n\r\n');
const crlf = Buffer.from('\r\n');
/** A response head larger than this is refused (the course's servers send well under 1 KiB). */
const maxHeadBytes = 64 * 1024;

/** One connection's parser state for the response in flight. */
interface Connection {
  socket: Socket;
  callback?: RawCallback;
  sentAt: number;
  noBody: boolean;
  buffer?: Buffer;
  /** 'head' until the blank line; then 'length' (bytes left), or chunk sizes and data, then 'end'. */
  state: 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'end';
  remaining: number;
  status: number;
  close: boolean;
}

export class RawHttpPool {
  private readonly idle: Connection[] = [];
  private readonly busy = new Set<Connection>();
  private readonly hostHeader: string;
  private readonly sweeper: NodeJS.Timeout;
  private destroyed = false;

  constructor(private readonly host: string, private readonly port: number, private readonly timeoutMs: number) {
    this.hostHeader = `${host}:${port}`;
    // One timer for every request's timeout: a timer per request would cost more than the request.
    this.sweeper = setInterval(() => this.expire(), Math.min(100, Math.max(10, timeoutMs / 10)));
    this.sweeper.unref();
  }

  /** Sends `req` on an idle connection, or a new one; `callback` is called exactly once. */
  request(req: RawRequest, callback: RawCallback): void {
    if (this.destroyed) { callback(new Error('pool destroyed')); return; }
    const c = this.idle.pop() ?? this.open();
    let head = `${req.method} ${req.path} HTTP/1.1\r\nhost: ${this.hostHeader}\r\n`;
    for (const [name, value] of Object.entries(req.headers ?? {})) head += `${name}: ${value}\r\n`;
    if (req.body !== undefined) head += `content-length: ${Buffer.byteLength(req.body)}\r\n`;
    Object.assign(c, { callback, sentAt: performance.now(), noBody: req.method === 'HEAD', buffer: undefined, state: 'head', remaining: 0, status: 0, close: false });
    this.busy.add(c);
    c.socket.write(req.body === undefined ? `${head}\r\n` : `${head}\r\n${req.body}`);
  }

  /** Closes every connection; requests in flight are called back with an error. */
  destroy(): void {
    this.destroyed = true;
    clearInterval(this.sweeper);
    for (const c of [...this.idle, ...this.busy]) this.fail(c, new Error('pool destroyed'));
    this.idle.length = 0;
  }

  private open(): Connection {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    const c: Connection = { socket, sentAt: 0, noBody: false, state: 'head', remaining: 0, status: 0, close: false };
    socket.on('data', (chunk: Buffer) => this.onData(c, chunk));
    socket.on('error', (error) => this.fail(c, error));
    socket.on('close', () => this.fail(c, new Error('connection closed before the response ended')));
    return c;
  }

  /** Ends the request in flight on `c` (if any) with `error` and drops the connection. */
  private fail(c: Connection, error: Error): void {
    const callback = c.callback;
    c.callback = undefined;
    this.busy.delete(c);
    const at = this.idle.indexOf(c);
    if (at >= 0) this.idle.splice(at, 1);
    c.socket.destroy();
    callback?.(error);
  }

  private expire(): void {
    const now = performance.now();
    for (const c of this.busy) if (now - c.sentAt > this.timeoutMs) this.fail(c, new Error('timeout'));
  }

  private done(c: Connection, rest: Buffer | undefined): void {
    const callback = c.callback;
    c.callback = undefined;
    this.busy.delete(c);
    if (rest && rest.length > 0) {
      // Bytes after the response we asked for: the server is not speaking the protocol we expect.
      c.socket.destroy();
      callback?.(undefined, c.status);
      return;
    }
    if (c.close) c.socket.end();
    else this.idle.push(c);
    callback?.(undefined, c.status);
  }

  private onData(c: Connection, chunk: Buffer): void {
    if (!c.callback) { c.socket.destroy(); return; }
    let data = c.buffer ? Buffer.concat([c.buffer, chunk]) : chunk;
    c.buffer = undefined;
    for (;;) {
      switch (c.state) {
        case 'head': {
          const end = data.indexOf(crlfcrlf);
          if (end < 0) {
            if (data.length > maxHeadBytes) this.fail(c, new Error('response head too large'));
            else c.buffer = data;
            return;
          }
          if (!this.parseHead(c, data.toString('latin1', 0, end))) return;
          data = data.subarray(end + 4);
          if ((c.state as Connection['state']) === 'length' && c.remaining === 0) { this.done(c, data); return; }
          continue;
        }
        case 'length':
          if (data.length < c.remaining) { c.remaining -= data.length; return; }
          this.done(c, data.subarray(c.remaining));
          return;
        case 'chunk-data':
          // The chunk's bytes and the CRLF after them.
          if (data.length < c.remaining) { c.remaining -= data.length; return; }
          data = data.subarray(c.remaining);
          c.state = 'chunk-size';
          continue;
        case 'chunk-size': {
          const lineEnd = data.indexOf(crlf);
          if (lineEnd < 0) { c.buffer = data; return; }
          const size = Number.parseInt(data.toString('latin1', 0, lineEnd), 16);
          if (!Number.isFinite(size) || size < 0) { this.fail(c, new Error('bad chunk size')); return; }
          data = data.subarray(lineEnd + 2);
          // The last chunk has size 0; the course's servers send no trailers, only the final CRLF.
          if (size === 0) c.state = 'end';
          else { c.state = 'chunk-data'; c.remaining = size + 2; }
          continue;
        }
        case 'end':
          if (data.length < 2) { c.buffer = data; return; }
          this.done(c, data.subarray(2));
          return;
      }
    }
  }

  /** Reads the status and the headers that say how the body ends; false when it failed `c`. */
  private parseHead(c: Connection, head: string): boolean {
    const status = Number(head.slice(9, 12));
    if (!head.startsWith('HTTP/1.') || !Number.isInteger(status)) { this.fail(c, new Error('not an HTTP/1.x response')); return false; }
    c.status = status;
    let length: number | undefined;
    let chunked = false;
    for (const line of head.split('\r\n').slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim().toLowerCase();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.includes('chunked');
      else if (name === 'connection') c.close = value.includes('close');
    }
    if (c.noBody || status < 200 || status === 204 || status === 304) { c.state = 'length'; c.remaining = 0; return true; }
    if (chunked) { c.state = 'chunk-size'; return true; }
    if (length !== undefined && Number.isInteger(length) && length >= 0) { c.state = 'length'; c.remaining = length; return true; }
    this.fail(c, new Error('response without Content-Length or chunked encoding'));
    return false;
  }
}
