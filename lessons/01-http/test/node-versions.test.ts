/**
 * The facts of this lesson that depend on the Node line, pinned per line (the README's
 * "Node versions" table). Exact values, not "at least": a new line, or a changed default,
 * fails here and must be looked at, then added to the table and to the README.
 */
import { createServer, globalAgent, maxHeaderSize } from 'node:http';
import { describe, expect, it } from 'vitest';

interface Facts {
  keepAliveTimeout: number;
  /** Extra ms the server keeps an idle socket past keepAliveTimeout (absent before Node 22). */
  keepAliveTimeoutBuffer: number | undefined;
  headersTimeout: number;
  requestTimeout: number;
  maxHeaderSize: number;
  clientAgentKeepAlive: boolean;
  bufferPoolSize: number;
}

const same = { keepAliveTimeout: 5000, headersTimeout: 60_000, requestTimeout: 300_000, maxHeaderSize: 16_384, clientAgentKeepAlive: true };
// Checked with the binaries of 20.20.2, 22.23.5, 24.22.3 and 26.12.1.
const byMajor: Record<number, Facts> = {
  20: { ...same, keepAliveTimeoutBuffer: undefined, bufferPoolSize: 8192 },
  22: { ...same, keepAliveTimeoutBuffer: 1000, bufferPoolSize: 8192 },
  24: { ...same, keepAliveTimeoutBuffer: 1000, bufferPoolSize: 65_536 },
  26: { ...same, keepAliveTimeoutBuffer: 1000, bufferPoolSize: 65_536 },
};

const major = Number(process.versions.node.split('.')[0]);

describe(`HTTP defaults on Node ${process.versions.node}`, () => {
  it('are the ones the README table gives for this line', () => {
    const expected = byMajor[major];
    expect(expected, `Node ${major} is not in the table: measure its defaults and add a row`).toBeDefined();
    const server = createServer();
    try {
      const actual: Facts = {
        keepAliveTimeout: server.keepAliveTimeout,
        keepAliveTimeoutBuffer: server.keepAliveTimeoutBuffer,
        headersTimeout: server.headersTimeout,
        requestTimeout: server.requestTimeout,
        maxHeaderSize,
        clientAgentKeepAlive: (globalAgent as unknown as { keepAlive: boolean }).keepAlive,
        bufferPoolSize: Buffer.poolSize,
      };
      expect(actual).toEqual(expected);
    } finally {
      server.close();
    }
  });
});
