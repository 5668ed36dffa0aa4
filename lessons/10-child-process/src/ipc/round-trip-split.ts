/**
 * The bench's last table: a round trip's mean time split into serialization (the same payload
 * encoded and decoded twice in the bench's process, no channel) and what is left, the channel.
 *
 * The split holds only while the stand-in costs less than the round trip. `v8.serialize` stands
 * in for a thread's `postMessage`, which serializes inside the engine without the JS API's copy
 * into a Buffer: for a 1 MB string the stand-in alone took longer than the thread's whole round
 * trip. A negative "channel" would be a number that means nothing, so such a row has none.
 */

/** One row of the split; `channelUs` and `share` are undefined when the split does not hold. */
export interface RoundTripSplit {
  roundTripUs: number;
  serializationUs: number;
  channelUs: number | undefined;
  /** serialization / round trip, 0..1. */
  share: number | undefined;
}

/** Splits one round trip; see the file comment for when it cannot. */
export function splitRoundTrip(roundTripUs: number, serializationUs: number): RoundTripSplit {
  const holds = Number.isFinite(roundTripUs) && Number.isFinite(serializationUs) && serializationUs <= roundTripUs;
  return {
    roundTripUs,
    serializationUs,
    channelUs: holds ? roundTripUs - serializationUs : undefined,
    share: holds ? serializationUs / roundTripUs : undefined,
  };
}

/** What the bench prints under the table when some row has no split. */
export const noSplitNote = [
  '–: serialization alone took longer than the whole round trip, so the row cannot be split',
  "   (a thread's postMessage serializes in the engine, v8.serialize also copies; or --short noise)",
].join('\n');

/** The row as the bench prints it: µs with one decimal below 100, "–" where the split does not hold. */
export function formatSplitRow(name: string, split: RoundTripSplit): string {
  const us = (n: number | undefined): string => (n === undefined ? '–' : n >= 100 ? n.toFixed(0) : n.toFixed(1));
  const share = split.share === undefined ? '–' : `${(split.share * 100).toFixed(0)}%`;
  return `${name.padEnd(30)} ${us(split.roundTripUs).padStart(11)} ${us(split.serializationUs).padStart(14)} ${us(split.channelUs).padStart(9)}  ${share.padStart(6)}`;
}
