/**
 * ab's command-line flags, parsed with node:util parseArgs into what autocannon needs.
 *
 * The flags mean what they mean in Apache Bench (`man ab`) wherever autocannon can do the
 * same thing; where it cannot (keep-alive), the difference is stated, not hidden.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** A bad command line: the CLI prints the message alone and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Everything one load run needs, validated. */
export interface LoadOptions {
  /** Full URL, path included (ab insists on the path too). */
  url: string;
  /** -c: requests in flight at once (one connection each). */
  concurrency: number;
  /** -n: total requests; undefined when only -t bounds the run. */
  requests?: number;
  /** -t: seconds before the run stops, whatever -n says. */
  timeLimitSeconds?: number;
  /** GET, or POST when -p gave a body. */
  method: 'GET' | 'POST';
  /** -p: the body, read from the file once (ab sends the same bytes every time). */
  body?: Buffer;
  /** -H lines, plus content-type from -T. */
  headers: Record<string, string>;
  /** -k was given. autocannon keeps connections alive either way (see README). */
  keepAlive: boolean;
  /** -I: replace `[<id>]` in the body with a fresh id per request (autocannon's idReplacement). */
  idReplacement: boolean;
  /** -s: seconds before a request counts as timed out (ab's default is 30). */
  timeoutSeconds: number;
  /** -w: print the summary as an HTML table. */
  html: boolean;
  /** --json: print the summary as JSON. */
  json: boolean;
}

/** What the command line asked for. */
export type Command = { kind: 'run'; options: LoadOptions } | { kind: 'version' } | { kind: 'help' };

/** ab's limit on -c, kept so a typo cannot open 100 000 sockets. */
export const maxConcurrency = 20_000;

export const usage = `usage: bench:load [options] http://host[:port]/path
  -n requests     total requests (default 1, as in ab)
  -c concurrency  requests at a time (default 1)
  -t seconds      time limit; alone, runs until it expires
  -p file         POST the file's contents (needs -T)
  -T type         Content-Type of the -p body, e.g. application/json
  -H "Name: v"    extra header (repeatable)
  -k              keep-alive (autocannon always keeps connections alive)
  -I              replace [<id>] in the -p body with a new id per request
  -s seconds      per-request timeout (default 30)
  -w              print the result as an HTML table
  --json          print the result as JSON
  -V              print the version and exit
  -h              this help`;

const options = {
  n: { type: 'string', short: 'n' },
  c: { type: 'string', short: 'c' },
  t: { type: 'string', short: 't' },
  p: { type: 'string', short: 'p' },
  T: { type: 'string', short: 'T' },
  H: { type: 'string', short: 'H', multiple: true },
  k: { type: 'boolean', short: 'k' },
  I: { type: 'boolean', short: 'I' },
  s: { type: 'string', short: 's' },
  w: { type: 'boolean', short: 'w' },
  json: { type: 'boolean' },
  V: { type: 'boolean', short: 'V' },
  h: { type: 'boolean', short: 'h' },
  help: { type: 'boolean' },
} as const;

function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`-${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function seconds(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 86_400) {
    throw new UsageError(`-${flag} must be a number of seconds above 0, got "${raw}"`);
  }
  return value;
}

function parseUrl(raw: string | undefined): string {
  if (raw === undefined) throw new UsageError('missing URL, e.g. http://127.0.0.1:3000/index');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`invalid URL "${raw}" (expected http://host[:port]/path)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`invalid URL "${raw}": only http:// and https:// are supported`);
  }
  return url.toString();
}

function parseHeader(line: string): [string, string] {
  const colon = line.indexOf(':');
  const name = colon > 0 ? line.slice(0, colon).trim() : '';
  if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new UsageError(`-H expects "Name: value", got "${line}"`);
  }
  return [name.toLowerCase(), line.slice(colon + 1).trim()];
}

function readBody(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`cannot read -p file "${path}" (${code})`);
  }
}

/**
 * Parses ab-style arguments. A leading `--` (what `pnpm run x -- flags` may pass through) is
 * ignored.
 * @throws UsageError naming the bad flag, value, file or URL
 */
export function parseAbArgs(argv: readonly string[]): Command {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs' messages are already one clear line ("Unknown option '-x'...").
    throw new UsageError((error as Error).message.split('\n')[0]!);
  }
  const v = parsed.values;
  if (v.h || v.help) return { kind: 'help' };
  if (v.V) return { kind: 'version' };
  if (parsed.positionals.length > 1) {
    throw new UsageError(`expected one URL, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`);
  }
  const url = parseUrl(parsed.positionals[0]);
  const concurrency = wholeNumber('c', v.c, 1, maxConcurrency) ?? 1;
  const timeLimitSeconds = seconds('t', v.t);
  // ab: without -n, one request; with -t alone, as many as fit in the time.
  const requests = wholeNumber('n', v.n, 1, 100_000_000) ?? (timeLimitSeconds === undefined ? 1 : undefined);
  if (requests !== undefined && concurrency > requests) {
    throw new UsageError(`-c ${concurrency} is greater than -n ${requests}: cannot have more requests in flight than requests in total`);
  }
  if (v.p !== undefined && v.T === undefined) {
    throw new UsageError('-p needs -T (the body\'s Content-Type, e.g. -T application/json); ab would send text/plain');
  }
  if (v.T !== undefined && v.p === undefined) throw new UsageError('-T only applies with -p');
  if (v.I && v.p === undefined) throw new UsageError('-I only applies with -p');

  const headers: Record<string, string> = Object.fromEntries((v.H ?? []).map(parseHeader));
  let body: Buffer | undefined;
  if (v.p !== undefined) {
    body = readBody(v.p);
    headers['content-type'] = v.T!;
  }
  if (v.w && v.json) throw new UsageError('-w and --json cannot be combined');
  return {
    kind: 'run',
    options: {
      url,
      concurrency,
      requests,
      timeLimitSeconds,
      method: body ? 'POST' : 'GET',
      body,
      headers,
      keepAlive: v.k === true,
      idReplacement: v.I === true,
      timeoutSeconds: seconds('s', v.s) ?? 30,
      html: v.w === true,
      json: v.json === true,
    },
  };
}
