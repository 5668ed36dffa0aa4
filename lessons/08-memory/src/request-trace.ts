/**
 * The per-request work both /leak routers do: record a trace of samples, answer a summary.
 */

/** Samples per trace: 12 800 doubles in a packed array, 100 KiB of heap per request. */
export const samplesPerTrace = 12_800;

/** What a request records while it runs (the "debug trace" of a real service). */
export class RequestTrace {
  readonly samples: number[] = [];
  constructor(readonly id: string, readonly path: string, readonly startedAt: number) {}

  /** Fills the samples (a stand-in for timings, sizes, anything a tracer records). */
  record(count: number, seed: number): this {
    let x = seed || 1;
    for (let i = 0; i < count; i++) {
      x = (x * 16807) % 2147483647;
      this.samples.push(x / 2147483647);
    }
    return this;
  }

  /** The response body: a summary, not the samples. */
  summary(): { id: string; samples: number; mean: number } {
    let sum = 0;
    for (const s of this.samples) sum += s;
    return { id: this.id, samples: this.samples.length, mean: sum / Math.max(1, this.samples.length) };
  }
}
