/**
 * Lesson 10 bench: the price of talking to another process, in one run.
 * Round trips to an echo child over IPC ('json' and 'advanced' serialization) and to an echo
 * thread (lesson 09, postMessage), for a small message and for a 1 MB payload.
 */
import { benchOps, runBench, parseBenchArgs } from '@course/shared/bench';
import { startEchoThread, type EchoThread } from 'lesson-09';
import { startEchoProcess, type EchoProcess } from './src/ipc/echo-process.ts';

const lesson = 'lesson-10';

runBench(async () => {
  const { options } = parseBenchArgs();
  let json: EchoProcess | undefined;
  let advanced: EchoProcess | undefined;
  let thread: EchoThread | undefined;
  const setup = async (): Promise<void> => {
    [json, advanced, thread] = await Promise.all([startEchoProcess('json'), startEchoProcess('advanced'), startEchoThread()]);
  };
  const teardown = async (): Promise<void> => { await Promise.all([json?.close(), advanced?.close(), thread?.close()]); };

  const small = { id: 42, op: 'crunch', size: 128, passes: 20, seed: 7 };
  const text = 'x'.repeat(1024 * 1024);
  const bytes = Buffer.alloc(1024 * 1024, 7);
  let moved = new ArrayBuffer(1024 * 1024);

  try {
    await setup();
    console.log(`\nEcho round trips, one message in flight. Small = ${JSON.stringify(small).length} bytes of JSON.`);
    await benchOps({
      lesson, title: 'IPC small message', unit: 'round trips/s', options,
      variants: [
        { name: 'child, json', run: () => json!.roundTrip(small) },
        { name: 'child, advanced', run: () => advanced!.roundTrip(small) },
        { name: 'thread, postMessage', run: () => thread!.roundTrip(small) },
      ],
    });
    await benchOps({
      lesson, title: 'IPC 1 MB payload', unit: 'round trips/s', options,
      variants: [
        { name: 'child, json, 1 MB string', run: () => json!.roundTrip({ text }) },
        { name: 'child, advanced, 1 MB string', baseline: 'child, json, 1 MB string', run: () => advanced!.roundTrip({ text }) },
        { name: 'child, advanced, 1 MB Buffer', baseline: 'child, json, 1 MB string', run: () => advanced!.roundTrip({ bytes }) },
        { name: 'thread, 1 MB string (copy)', baseline: 'child, json, 1 MB string', run: () => thread!.roundTrip({ text }) },
        { name: 'thread, 1 MB Buffer (copy)', baseline: 'child, json, 1 MB string', run: () => thread!.roundTrip({ bytes }) },
        // LESSON: a transfer moves the memory: no copy at all, which no process boundary allows.
        { name: 'thread, 1 MB ArrayBuffer (transfer)', baseline: 'child, json, 1 MB string', run: async () => { moved = await thread!.roundTrip(moved, { transfer: true }); } },
      ],
    });
  } finally {
    await teardown();
  }
});
