import { describe, expect, it } from 'vitest';
import { formatSplitRow, splitRoundTrip } from '../src/ipc/round-trip-split.ts';

describe("the bench's round-trip split (channel = round trip - serialization alone)", () => {
  it('splits a round trip whose serialization alone costs less', () => {
    const split = splitRoundTrip(4848, 2442);
    expect(split).toMatchObject({ channelUs: 2406, share: 2442 / 4848 });
    expect(formatSplitRow('child, json, 1 MB string', split)).toMatch(/ 4848 +2442 +2406 +50%$/);
  });

  it('prints "–", never a negative channel, when serialization alone took longer than the round trip', () => {
    const split = splitRoundTrip(425, 1445);
    expect(split.channelUs).toBeUndefined();
    expect(split.share).toBeUndefined();
    const row = formatSplitRow('thread, 1 MB string (copy)', split);
    expect(row).toMatch(/ 425 +1445 +– +–$/);
    expect(row).not.toMatch(/-\d/);
  });
});
