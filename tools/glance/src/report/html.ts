/**
 * The page as one HTML string: Chart.js, the data and the page's own script inlined, so the
 * file opens from file:// with nothing to fetch. The Content-Security-Policy says the same to
 * the browser: no connection, no script or image from anywhere but the page itself.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PageData } from './collect.ts';

/** Chart.js's UMD build (defines `window.Chart`), read from node_modules at build time. */
export function chartJsSource(): string {
  const dist = dirname(createRequire(import.meta.url).resolve('chart.js'));
  return readFileSync(join(dist, 'chart.umd.min.js'), 'utf8');
}

const pageScript = (): string => readFileSync(new URL('./page.js', import.meta.url), 'utf8');

/** Text safe inside a <script> element: no `</script` (or `<!--`) can end it early. */
export function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const style = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }
main { max-width: 1180px; margin: 0 auto; padding: 12px 24px 48px; }
h1 { margin: 12px 0 4px; font-size: 24px; }
h2 { margin: 28px 0 4px; font-size: 19px; border-bottom: 2px solid #ddd; padding-bottom: 2px; }
h3 { margin: 16px 0 2px; font-size: 15px; }
section.lesson, section#scoreboard, section#summary { background: #fff; padding: 4px 16px 12px; margin: 16px 0; border-radius: 6px; box-shadow: 0 1px 2px #0002; }
.meta { color: #555; margin: 2px 0; font-size: 12.5px; }
.missing { color: #8d6e63; font-style: italic; }
.smoke { background: #fff3e0; border-left: 4px solid #ef8f00; padding: 4px 8px; }
.note { color: #555; font-size: 12.5px; }
.chart-box { position: relative; width: 100%; margin: 8px 0; }
table.grid { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
table.grid th, table.grid td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
table.grid th { background: #f0f0f0; }
td.verdict { font-weight: 600; }
td.ok { color: #2e7d32; } td.bad { color: #c62828; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 50%; vertical-align: -1px; }
figure { margin: 12px 0; } img.picture { max-width: 100%; border: 1px solid #eee; background: #fff; }
pre { background: #f5f5f5; padding: 6px; overflow-x: auto; font-size: 12px; }
`;

/** The whole page. */
export function buildHtml(data: PageData, chartJs = chartJsSource()): string {
  const clientData = {
    ...data,
    lessons: data.lessons.map((l) => ({ ...l, pictures: l.pictures.map(({ svg, ...p }) => ({ ...p, svgBase64: Buffer.from(svg).toString('base64') })) })),
  };
  // JSON inside <script type="application/json">: escape `<` so no tag can start in it.
  const json = JSON.stringify(clientData).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>node-perf-lessons · the course at a glance</title>
<style>${style}</style>
</head>
<body>
<main id="main">
<h1>node-perf-lessons · the course at a glance</h1>
<noscript><p>This page draws its charts with JavaScript; the data is in results/*.json.</p></noscript>
</main>
<script>${scriptSafe(chartJs)}</script>
<script id="page-data" type="application/json">${json}</script>
<script>${scriptSafe(pageScript())}</script>
</body>
</html>
`;
}
