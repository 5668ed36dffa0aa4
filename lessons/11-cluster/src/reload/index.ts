/**
 * `lesson-11/reload`: load a service with keep-alive clients (Node and wrk), restart it in the
 * middle, count every failure. Lesson 11's `bench:reload` uses it with a rolling restart;
 * lesson 12 can use it with a `pm2 reload`.
 */
export { measureReload, formatReloadRow, reloadHeader, reloadSummary, type MeasureReloadOptions, type ReloadClient, type ReloadRow } from './measure-reload.ts';
export { startKeepAliveLoad, loadRequests, type LoadRequest, type LoadStats, type RunningLoad } from './keep-alive-load.ts';
export { wrkLoad, wrkScripts } from './wrk-load.ts';
export { wrkInstalled } from '../wrk.ts';
