/**
 * Node flags for piscina's threads and for child processes that load `.ts` files.
 *
 * A new thread or process starts a fresh module loader: tsx registered in this one does not
 * apply there. `--import tsx` makes tsx's require hook available in a piscina thread (piscina
 * loads the task with require first); our own Workers use ts-worker.ts instead. tsx is
 * resolved to an absolute URL so it loads whatever the working directory.
 */
const tsx = import.meta.resolve('tsx');

/** `process.execArgv` plus `--import <tsx>`, unless tsx is already imported there. */
export function tsExecArgv(): string[] {
  const inherited = process.execArgv;
  const hasTsx = inherited.some((arg, i) => arg === '--import' && /(^|[\\/])tsx([\\/]|$)/.test(inherited[i + 1] ?? ''));
  return hasTsx ? [...inherited] : [...inherited, '--import', tsx];
}
