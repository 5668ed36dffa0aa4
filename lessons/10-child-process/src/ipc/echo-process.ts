/**
 * A forked child that echoes IPC messages, in 'json' or 'advanced' serialization; the
 * process-side counterpart of lesson 09's echo thread.
 */
import type { ChildProcess, SerializationType } from 'node:child_process';
import { once } from 'node:events';
import { forkTs } from '../fork-ts.ts';

/** A running echo child. */
export interface EchoProcess {
  pid: number;
  /** Sends `payload` and resolves with what comes back (one message in flight at a time). */
  roundTrip<T>(payload: T): Promise<T>;
  close(): Promise<void>;
}

/** Forks src/ipc/echo-child.ts and waits for its `ready`. */
export async function startEchoProcess(serialization: SerializationType = 'json'): Promise<EchoProcess> {
  const child: ChildProcess = forkTs(new URL('./echo-child.ts', import.meta.url), [], { serialization, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await once(child, 'message');
  return {
    pid: child.pid!,
    roundTrip: async <T>(payload: T) => {
      // LESSON: json = JSON.stringify on one side, JSON.parse on the other; advanced = the
      // structured clone algorithm (v8.serialize), which also carries Buffers, Maps, Dates.
      child.send(payload as object);
      const [message] = (await once(child, 'message')) as [T];
      return message;
    },
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}
