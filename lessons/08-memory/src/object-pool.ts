/**
 * An object pool: reuse objects instead of allocating them on a hot path.
 *
 * In a garbage-collected runtime this only pays when allocation is expensive: large buffers
 * (Buffer.alloc zero-fills, and each ArrayBuffer is an external allocation the GC must track)
 * or objects with costly set-up. For small, short-lived objects V8's young generation
 * allocates by bumping a pointer and frees a dead object for nothing; a pool then costs more
 * than it saves, and pooled objects live long enough to be promoted to the old generation.
 */

/** Options for {@link createObjectPool}. */
export interface ObjectPoolOptions<T> {
  create: () => T;
  /** Makes a released object ready for reuse (clear what the last user left). */
  reset: (value: T) => void;
  /** Most objects kept when idle; more are created on demand and dropped on release. */
  max: number;
}

/** A pool of reusable objects. */
export interface ObjectPool<T> {
  acquire(): T;
  /** Returns an acquired object; throws for one that is not out (released twice, or foreign). */
  release(value: T): void;
  /** Objects waiting for reuse. */
  readonly idle: number;
  /** Objects created so far. */
  readonly created: number;
}

/** Creates a pool; objects are created lazily. */
export function createObjectPool<T>(options: ObjectPoolOptions<T>): ObjectPool<T> {
  if (!Number.isInteger(options.max) || options.max < 1) throw new RangeError('max must be a positive integer');
  const free: T[] = [];
  // LESSON: a pool must know what it lent. An object released twice would sit in `free` twice
  // and be handed to two users at once, each overwriting the other's data.
  const out = new Set<T>();
  let created = 0;
  return {
    acquire() {
      let value = free.pop();
      if (value === undefined) {
        created++;
        value = options.create();
      }
      out.add(value);
      return value;
    },
    release(value) {
      if (!out.delete(value)) throw new Error('release() of an object that is not out of this pool (released twice?)');
      if (free.length >= options.max) return; // bounded: a burst does not pin memory forever
      options.reset(value);
      free.push(value);
    },
    get idle() { return free.length; },
    get created() { return created; },
  };
}
