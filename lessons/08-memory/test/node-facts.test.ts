import { describe, expect, it } from 'vitest';
import { factsByMajor, measureMemoryFacts } from '../src/node-facts.ts';

const major = Number(process.versions.node.split('.')[0]);

describe(`memory facts of Node ${process.version}`, () => {
  // The young generation can depend on the machine's memory as well as on V8; these rows
  // were measured on the course's 2-core, 23 GiB machine.
  it('match the row the README table gives for this Node line', () => {
    const expected = factsByMajor[major];
    if (!expected) throw new Error(`no pinned memory facts for Node ${major}: run measureMemoryFacts() and add a row`);
    expect(measureMemoryFacts()).toEqual(expected);
  });
});
