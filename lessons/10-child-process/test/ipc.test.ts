import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoProcess, type EchoProcess } from '../src/ipc/echo-process.ts';

describe('IPC serialization', () => {
  let json: EchoProcess;
  let advanced: EchoProcess;
  beforeAll(async () => { [json, advanced] = await Promise.all([startEchoProcess('json'), startEchoProcess('advanced')]); });
  afterAll(async () => { await Promise.all([json.close(), advanced.close()]); });

  const value = { id: 1, when: new Date(0), tags: new Set(['a']), bytes: Buffer.from('hi'), big: 2n ** 70n };

  it("'advanced' round-trips Dates, Sets, Buffers and BigInts", async () => {
    const back = await advanced.roundTrip(value);
    expect(back.when).toEqual(new Date(0));
    expect(back.tags).toEqual(new Set(['a']));
    expect(Buffer.from(back.bytes).toString()).toBe('hi');
    expect(back.big).toBe(2n ** 70n);
  });

  it("'json' turns them into strings, empty objects and {type:'Buffer'} and refuses BigInt", async () => {
    const { big: _big, ...jsonable } = value;
    const back = (await json.roundTrip(jsonable)) as unknown as Record<string, unknown>;
    expect(back).toEqual({ id: 1, when: '1970-01-01T00:00:00.000Z', tags: {}, bytes: { type: 'Buffer', data: [104, 105] } });
    await expect(json.roundTrip(value)).rejects.toThrow(/BigInt/);
  });
});
