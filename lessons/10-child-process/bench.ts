/**
 * Lesson 10 bench: the price of talking to another process, in one run.
 * 1. Round trips to an echo child over IPC ('json' and 'advanced' serialization) and to an
 *    echo thread (lesson 09, postMessage), for a small message and for 1 MB payloads.
 * 2. The same payloads serialized and parsed in this process alone, twice per round trip
 *    (there and back), with the encoder each channel uses: JSON for 'json', v8.serialize for
 *    'advanced' and postMessage (both use V8's ValueSerializer).
 * 3. The subtraction: round trip = serialization + the channel itself, where it holds
 *    (src/ipc/round-trip-split.ts: never a negative channel).
 */
import { deserialize, serialize } from 'node:v8';
import { benchOps, runBench, parseBenchArgs, type BenchReport } from '@course/shared/bench';
import { gcCounter, startEchoThread, type EchoThread } from 'lesson-09';
import { startEchoProcess, type EchoProcess } from './src/ipc/echo-process.ts';
import { formatSplitRow, noSplitNote, splitRoundTrip } from './src/ipc/round-trip-split.ts';

const lesson = 'lesson-10';

/** Mean µs per operation of a variant in a report. */
const usOf = (r: BenchReport, name: string): number => 1e6 / r.variants.find((v) => v.name === name)!.rate;

runBench(async () => {
  const { options } = parseBenchArgs(process.argv.slice(2));
  let json: EchoProcess | undefined;
  let advanced: EchoProcess | undefined;
  let thread: EchoThread | undefined;
  const setup = async (): Promise<void> => {
    [json, advanced, thread] = await Promise.all([startEchoProcess('json'), startEchoProcess('advanced'), startEchoThread()]);
  };
  const teardown = async (): Promise<void> => { await Promise.all([json?.close(), advanced?.close(), thread?.close()]); };

  const small = { id: 42, op: 'crunch', size: 128, passes: 20, seed: 7 };
  const text = { text: 'x'.repeat(1024 * 1024) };
  const bytes = { bytes: Buffer.alloc(1024 * 1024, 7) };
  let moved = new ArrayBuffer(1024 * 1024);
  // LESSON: one round trip encodes and decodes twice: there, and back.
  const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(JSON.parse(JSON.stringify(value))));
  const viaV8 = (value: unknown): unknown => deserialize(serialize(deserialize(serialize(value))));

  // GC in this process per round: each copy that comes back is allocated here again.
  const gc = gcCounter();
  try {
    await setup();
    console.log(`\nEcho round trips, one message in flight. Small = ${JSON.stringify(small).length} bytes of JSON.`);
    const ipcSmall = await benchOps({
      lesson, title: 'IPC small message', unit: 'round trips/s', options,
      variants: [
        { name: 'child, json', run: () => json!.roundTrip(small) },
        { name: 'child, advanced', run: () => advanced!.roundTrip(small) },
        { name: 'thread, postMessage', run: () => thread!.roundTrip(small) },
      ],
    });
    const ipcLarge = await benchOps({
      lesson, title: 'IPC 1 MB payload', unit: 'round trips/s', options,
      variants: [
        { name: 'child, json, 1 MB string', run: () => json!.roundTrip(text), collect: gc.read },
        { name: 'child, advanced, 1 MB string', baseline: 'child, json, 1 MB string', run: () => advanced!.roundTrip(text), collect: gc.read },
        { name: 'child, advanced, 1 MB Buffer', baseline: 'child, json, 1 MB string', run: () => advanced!.roundTrip(bytes), collect: gc.read },
        { name: 'thread, 1 MB string (copy)', baseline: 'child, json, 1 MB string', run: () => thread!.roundTrip(text), collect: gc.read },
        { name: 'thread, 1 MB Buffer (copy)', baseline: 'child, json, 1 MB string', run: () => thread!.roundTrip(bytes), collect: gc.read },
        // LESSON: a transfer moves the memory: no copy at all, which no process boundary allows.
        { name: 'thread, 1 MB ArrayBuffer (transfer)', baseline: 'child, json, 1 MB string', run: async () => { moved = await thread!.roundTrip(moved, { transfer: true }); }, collect: gc.read },
      ],
    });
    console.log('\nThe same payloads encoded and decoded twice (one round trip) in this process, no channel:');
    const alone = await benchOps({
      lesson, title: 'serialization alone, per round trip', unit: 'round trips/s', options,
      variants: [
        { name: 'JSON, small', run: () => viaJson(small) },
        { name: 'v8, small', baseline: 'JSON, small', run: () => viaV8(small) },
        { name: 'JSON, 1 MB string', run: () => viaJson(text) },
        { name: 'v8, 1 MB string', baseline: 'JSON, 1 MB string', run: () => viaV8(text) },
        { name: 'v8, 1 MB Buffer', baseline: 'JSON, 1 MB string', run: () => viaV8(bytes) },
      ],
    });
    const pairs: [BenchReport, string, string][] = [
      [ipcSmall, 'child, json', 'JSON, small'],
      [ipcSmall, 'child, advanced', 'v8, small'],
      [ipcSmall, 'thread, postMessage', 'v8, small'],
      [ipcLarge, 'child, json, 1 MB string', 'JSON, 1 MB string'],
      [ipcLarge, 'child, advanced, 1 MB string', 'v8, 1 MB string'],
      [ipcLarge, 'thread, 1 MB string (copy)', 'v8, 1 MB string'],
      [ipcLarge, 'child, advanced, 1 MB Buffer', 'v8, 1 MB Buffer'],
      [ipcLarge, 'thread, 1 MB Buffer (copy)', 'v8, 1 MB Buffer'],
    ];
    console.log(`\n${lesson} · where a round trip's time goes (mean µs = 1 s / rate; channel = round trip - serialization alone)`);
    console.log(`${'variant'.padEnd(30)} ${'round trip'.padStart(11)} ${'serialization'.padStart(14)} ${'channel'.padStart(9)}  share serialization`);
    let unsplit = false;
    for (const [report, ipc, codec] of pairs) {
      const split = splitRoundTrip(usOf(report, ipc), usOf(alone, codec));
      unsplit ||= split.channelUs === undefined;
      console.log(formatSplitRow(ipc, split));
    }
    if (unsplit) console.log(noSplitNote);
  } finally {
    gc.stop();
    await teardown();
  }
});
