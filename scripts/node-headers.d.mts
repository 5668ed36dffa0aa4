// Types for node-headers.mjs, so TypeScript tests can import it.
export interface HeaderOptions {
  env?: Record<string, string | undefined>;
  execPath?: string;
  version?: string;
}
export function headersVersion(nodedir: string): string | undefined;
export function headerCandidates(options?: HeaderOptions): string[];
export function findNodeHeaders(options?: HeaderOptions): { nodedir: string | undefined; tried: { dir: string; version: string | undefined }[] };
export function requireNodeHeaders(options?: HeaderOptions): string;
