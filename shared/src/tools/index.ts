/**
 * @course/shared/tools: measuring tools more than one lesson uses, in tests and benches alike:
 * wrk's report parser, a free port, a keep-alive load generator.
 */
export { parseWrk, wrkMs, wrkInstalled, nonZeroSocketErrors, type WrkReport } from './wrk.ts';
export { freePort, type FreePortOptions } from './free-port.ts';
export {
  startKeepAliveLoad, failedOutcomes, failures, newItemBody,
  type KeepAliveLoad, type KeepAliveLoadOptions, type KeepAliveLoadResult, type KeepAliveOutcome, type LoadRequest,
} from './keep-alive-load.ts';
