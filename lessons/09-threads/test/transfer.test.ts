import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoThread, type EchoThread } from '../src/transfer/echo-thread.ts';

describe('postMessage of an ArrayBuffer', () => {
  let echo: EchoThread;
  beforeAll(async () => { echo = await startEchoThread(); });
  afterAll(async () => { await echo.close(); });

  const filled = (bytes: number): ArrayBuffer => {
    const buffer = new ArrayBuffer(bytes);
    new Uint8Array(buffer).forEach((_, i, a) => { a[i] = i % 251; });
    return buffer;
  };

  it('copies by default: the sender keeps its buffer and gets an equal copy back', async () => {
    const buffer = filled(1 << 20);
    const back = await echo.roundTrip(buffer);
    expect(buffer.byteLength).toBe(1 << 20);
    expect(back).not.toBe(buffer);
    expect(Buffer.from(back).equals(Buffer.from(buffer))).toBe(true);
  });

  it('moves the memory when transferred: the sender is left with a detached, empty buffer', async () => {
    const buffer = filled(1 << 20);
    const expected = Buffer.from(buffer.slice(0));
    const back = await echo.roundTrip(buffer, { transfer: true });
    expect(buffer.byteLength).toBe(0);
    expect(Buffer.from(back).equals(expected)).toBe(true);
  });

  it('round-trips plain objects by structured clone', async () => {
    const value = { id: 7, tags: ['a', 'b'], when: new Date(0), nested: new Map([['k', 1]]) };
    expect(await echo.roundTrip(value)).toEqual(value);
  });
});
