/**
 * Node flags for a worker: without a TypeScript loader where Node strips types itself.
 *
 * A worker's start was measured (the primary logs it: `started in … ms: node + loader …,
 * imports …`): with `--import tsx` every module goes through tsx's resolve and load hooks and
 * TypeScript files are compiled by esbuild, and that was most of a replacement's start. Node
 * 22.18+ (and 23.6+) strips types natively (`process.features.typescript`), so there the
 * worker runs its .ts files as they are. On Node 20 tsx stays.
 */

/** True when this Node runs .ts files without a loader. */
export const nodeStripsTypes: boolean = Boolean((process.features as { typescript?: unknown }).typescript);

/** `parentArgv` minus a `--import`/`--require` of tsx where Node can do without it. */
export function workerExecArgv(parentArgv: readonly string[] = process.execArgv): string[] {
  if (!nodeStripsTypes) return [...parentArgv];
  const out: string[] = [];
  for (let i = 0; i < parentArgv.length; i++) {
    const arg = parentArgv[i]!;
    const isLoader = (value: string | undefined): boolean => value !== undefined && /(^|[/\\])tsx([/\\]|$)|^tsx$|tsx\/dist/.test(value);
    if ((arg === '--import' || arg === '--require' || arg === '-r') && isLoader(parentArgv[i + 1])) { i++; continue; }
    if (/^--(import|require)=/.test(arg) && isLoader(arg.split('=')[1])) continue;
    out.push(arg);
  }
  return out;
}
