import { describe, expect, it } from 'vitest';
import { factsByMajor, measureMemoryFacts, measureYoungGenerationMiB } from '../src/node-facts.ts';

const major = Number(process.versions.node.split('.')[0]);

describe(`memory facts of Node ${process.version}`, () => {
  it('match the row the README table gives for this Node line (the facts that do not depend on the machine)', () => {
    const expected = factsByMajor[major];
    if (!expected) throw new Error(`no pinned memory facts for Node ${major}: run measureMemoryFacts() and add a row`);
    const { youngGenerationMiB: _machineDependent, ...measured } = measureMemoryFacts();
    const { youngGenerationMiB: _rowOfThe23GiBMachine, ...pinned } = expected;
    expect(measured).toEqual(pinned);
  });

  it('V8 reserves three semi-spaces for the young generation: --max-semi-space-size=8 gives 24 MiB', () => {
    expect(measureYoungGenerationMiB(['--max-semi-space-size=8'])).toBe(24);
    expect(measureYoungGenerationMiB(['--max-semi-space-size=16'])).toBe(48);
  });

  it('the default young generation is three semi-spaces of 1 to 64 MiB (how many depends on the machine\'s memory)', () => {
    const young = measureYoungGenerationMiB();
    const semiSpace = young / 3;
    expect(semiSpace).toBeGreaterThanOrEqual(1);
    expect(semiSpace).toBeLessThanOrEqual(64);
    // The same figure comes back when the default semi-space is asked for explicitly.
    expect(measureYoungGenerationMiB([`--max-semi-space-size=${semiSpace}`])).toBe(young);
  });
});
