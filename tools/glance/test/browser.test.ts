/**
 * The results page in a real browser: Debian's Chromium driven by playwright-core (Playwright's
 * own browser download cannot reach the network here; the system's package can be installed).
 * Built from the fixtures, opened from file://, every chart checked for marks.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@course/shared';
import { collect } from '../src/report/collect.ts';
import { buildHtml } from '../src/report/html.ts';
import { fixtureResults, fixtureRoot } from './fixture-paths.ts';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(executablePath);
if (!haveChromium) console.log(`browser test skipped: no Chromium at ${executablePath} (Debian: apt-get install chromium; CI installs it)`);

describe.skipIf(!haveChromium)('the results page in Chromium', { timeout: 120_000 }, () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const fetched: string[] = [];
  const file = join(repoRoot, 'tmp', 'glance-test', `report-${process.pid}.html`);

  beforeAll(async () => {
    mkdirSync(join(repoRoot, 'tmp', 'glance-test'), { recursive: true });
    writeFileSync(file, buildHtml(collect(fixtureRoot, fixtureResults)));
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      timeout: 90_000,
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => { if (!/^(file|data|blob):/.test(request.url())) fetched.push(request.url()); });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(file, { force: true });
  });

  it('renders with no console error, no page error and no request off the page', () => {
    expect(problems).toEqual([]);
    expect(fetched).toEqual([]);
  });

  it('draws marks in every chart, and shows every picture', async () => {
    const charts = await page.$$eval('canvas.chart', (canvases: any[]) => canvases.map((canvas) => {
      const chart = (globalThis as any).Chart.getChart(canvas);
      const ctx = canvas.getContext('2d');
      const ratio = canvas.width / canvas.clientWidth;
      let marks = 0;
      let painted = 0;
      for (const meta of chart.getSortedVisibleDatasetMetas()) {
        meta.data.forEach((element: any, i: number) => {
          const value = meta._dataset.data[i];
          if (value === null || value === undefined || element.skip || !Number.isFinite(element.x) || !Number.isFinite(element.y)) return;
          marks++;
          // A pixel inside the mark: a point's centre, or halfway down a bar.
          const y = element.base !== undefined && meta.type === 'bar' && !chart.options.indexAxis?.startsWith('y') ? (element.y + element.base) / 2 : element.y;
          const x = element.base !== undefined && chart.options.indexAxis === 'y' ? (element.x + element.base) / 2 : element.x;
          if (ctx.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data[3]! > 0) painted++;
        });
      }
      return { label: canvas.getAttribute('data-chart'), marks, painted };
    }));
    // Scoreboard ×2, lesson 03 ratios + percentiles, lesson 02 ratios + percentiles, lesson 04
    // (reference only) ratios, lesson 11 ratios + CPU split.
    expect(charts.length).toBeGreaterThanOrEqual(9);
    for (const c of charts) {
      expect(c.marks, `${c.label}: marks`).toBeGreaterThan(0);
      expect(c.painted, `${c.label}: painted marks`).toBeGreaterThan(0);
    }
    const pictures = await page.$$eval('img.picture', (imgs: any[]) => imgs.map((img) => img.naturalWidth as number));
    expect(pictures).toHaveLength(2);
    for (const width of pictures) expect(width).toBeGreaterThan(0);
  });

  it('shows each ratio with the verdict of the data, in the verdict colour, in table and chart alike', async () => {
    const fixture = JSON.parse(readFileSync(join(fixtureResults, 'lesson-03', 'cached-vs-uncached-2026-12-07T05-00-00-000Z.json'), 'utf8'));
    const rows = await page.$$eval('#lesson-03 table.ratios tr[data-ratio]', (trs: any[]) => trs.map((tr) => ({
      ratio: tr.getAttribute('data-ratio') as string,
      verdict: tr.querySelector('td.verdict').textContent as string,
      colour: (globalThis as any).getComputedStyle(tr.querySelector('td.verdict')).color as string,
    })));
    const chartColours = await page.$eval('#lesson-03 canvas.chart', (canvas: any) => (globalThis as any).Chart.getChart(canvas).data.datasets[0].pointBackgroundColor as string[]);
    expect(rows.map((r) => r.ratio)).toEqual(fixture.comparisons.map((c: any) => `${c.variant} / ${c.baseline}`));
    expect(rows.map((r) => r.verdict)).toEqual(fixture.comparisons.map((c: any) => c.verdict.kind));
    const rgb = (hex: string): string => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    expect(rows.map((r) => r.colour)).toEqual(chartColours.map(rgb));
    expect(rows[0]!.colour).toBe('rgb(46, 125, 50)'); // reproduced: green
    expect(rows[2]!.colour).toBe('rgb(198, 40, 40)'); // not reproduced: red
  });

  it('lists the last bench:all ratios with their verdicts, as summary.json gives them', async () => {
    const summary = JSON.parse(readFileSync(join(fixtureResults, 'summary.json'), 'utf8'));
    const rows = await page.$$eval('#summary table.summary-ratios tr[data-ratio]', (trs: any[]) => trs.map((tr) => tr.querySelector('td.verdict').textContent as string));
    expect(rows).toEqual(summary.ratios.map((r: any) => r.verdict));
  });

  it('says what is missing: lessons not run yet, a stage not run and why, results without verdicts', async () => {
    expect(await page.textContent('#lesson-04')).toContain('not run yet');
    expect(await page.textContent('#scoreboard')).toContain('not run: PostgreSQL, Redis and HAProxy needed; missing haproxy');
    expect(await page.textContent('#lesson-02')).toContain('no verdict (older result)');
    expect(await page.textContent('#lesson-11')).toContain('SMOKE RUN');
    expect(await page.textContent('#lesson-08')).toMatch(/not readable JSON/);
  });

  it('saves a screenshot under results/', async () => {
    const dir = join(repoRoot, 'results');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'report-fixture-screenshot.png');
    await page.screenshot({ path, fullPage: true });
    expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
  });
});
