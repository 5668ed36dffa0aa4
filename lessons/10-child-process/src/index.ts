/**
 * What other lessons may import from lesson 10.
 */
export { forkTs, exitWithParent } from './fork-ts.ts';
export { ChildPool, type ChildPoolOptions, type ChildPoolStats } from './pool/child-pool.ts';
export { createChildProcessApp, type ChildProcessAppOptions } from './app.ts';
export { startEchoProcess, type EchoProcess } from './ipc/echo-process.ts';
export { startHelloChild, type HelloChild } from './hello/master.ts';
export { countLinesWithExec, countLinesWithExecFile, countLinesWithSpawn } from './shell/count-lines.ts';
