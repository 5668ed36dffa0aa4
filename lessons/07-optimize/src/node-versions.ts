/**
 * What the running Node line does differently for this lesson, as data: the README's
 * "Node versions" table, pinned per version by test/node-versions.test.ts.
 */

/** The facts lesson 07 depends on. */
export interface NodeLineFacts {
  /** `ArrayBuffer.prototype.transfer` (zero-copy detach; pathLengthAsyncTransfer can use structuredClone without it). */
  arrayBufferTransfer: boolean;
  /** V8's mid-tier compiler Maglev on by default (`--maglev` in `node --v8-options`). */
  maglevByDefault: boolean;
  /** `Buffer.poolSize`: small `Buffer.from`s (under half of it) are carved from one shared slab. */
  bufferPoolSize: number;
}

/** The lines the course checked (the binaries in the README's table). */
export const factsByMajor: Record<number, NodeLineFacts> = {
  20: { arrayBufferTransfer: false, maglevByDefault: false, bufferPoolSize: 8192 },
  22: { arrayBufferTransfer: true, maglevByDefault: false, bufferPoolSize: 8192 },
  24: { arrayBufferTransfer: true, maglevByDefault: true, bufferPoolSize: 65536 },
  26: { arrayBufferTransfer: true, maglevByDefault: true, bufferPoolSize: 65536 },
};

/** Reads `default: --maglev` or `default: --no-maglev` out of `node --v8-options`. */
export function maglevDefault(v8Options: string): boolean {
  const match = /^\s+--maglev \(.*?\)\n\s+type: bool\s+default: --(no-)?maglev/m.exec(v8Options);
  if (!match) throw new Error('no --maglev entry in the V8 options');
  return match[1] === undefined;
}
