/**
 * The summary as ab prints it: plain text, an HTML table (-w), or JSON (--json).
 */
import type { LoadSummary } from './run-load.ts';

const fixed = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function rows(s: LoadSummary): [string, string][] {
  return [
    ['Server Hostname', s.host],
    ['Server Port', String(s.port)],
    ['Document Path', s.path],
    ['Concurrency Level', String(s.concurrency)],
    ['Time taken for tests', `${fixed(s.seconds, 3)} seconds`],
    ['Complete requests', String(s.completeRequests)],
    ['Failed requests', `${s.failedRequests}${s.timeouts ? ` (${s.timeouts} timed out)` : ''}`],
    ['Non-2xx responses', String(s.non2xx)],
    ['Status codes', Object.entries(s.statusCodes).map(([code, n]) => `${code}: ${n}`).join(', ') || 'none'],
    ['Requests per second', `${fixed(s.requestsPerSecond)} [#/sec] (mean)`],
    ['Time per request', `${fixed(s.timePerRequestMs.mean, 3)} [ms] (mean)`],
    ['Time per request', `${fixed(s.timePerRequestMs.acrossAllConcurrent, 3)} [ms] (mean, across all concurrent requests)`],
    ['Transfer rate', `${fixed(s.transferBytesPerSecond / 1024)} [Kbytes/sec] received`],
  ];
}

function percentiles(s: LoadSummary): [string, number][] {
  return [
    ['50%', s.latencyMs.p50], ['75%', s.latencyMs.p75], ['90%', s.latencyMs.p90],
    ['99%', s.latencyMs.p99], ['99.9%', s.latencyMs.p99_9], ['100%', s.latencyMs.max],
  ];
}

/** ab's text summary. */
export function formatText(s: LoadSummary): string {
  const lines = rows(s).map(([label, value]) => `${`${label}:`.padEnd(24)}${value}`);
  lines.push('', 'Percentage of the requests served within a certain time (ms)');
  for (const [label, ms] of percentiles(s)) {
    lines.push(`${label.padStart(6)}  ${String(ms).padStart(6)}${label === '100%' ? ' (longest request)' : ''}`);
  }
  return lines.join('\n');
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** ab -w: the same figures as an HTML table. */
export function formatHtml(s: LoadSummary): string {
  const tr = (label: string, value: string): string =>
    `<tr><th colspan="2" bgcolor="white">${escapeHtml(label)}:</th><td colspan="2" bgcolor="white">${escapeHtml(value)}</td></tr>`;
  return [
    '<table>',
    ...rows(s).map(([label, value]) => tr(label, value)),
    ...percentiles(s).map(([label, ms]) => tr(`${label} served within`, `${ms} ms`)),
    '</table>',
  ].join('\n');
}

/** --json: the summary object itself. */
export function formatJson(s: LoadSummary): string {
  return JSON.stringify(s, null, 2);
}
