// The results page's own code: runs in the browser, from the page itself (no module loading,
// nothing fetched). Reads the data inlined as JSON and draws with Chart.js (inlined before it).
// Builds every element with textContent: result files are data, never markup.
/* global Chart */
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('page-data').textContent);
  const verdictColors = {
    reproduced: '#2e7d32',
    'size differs': '#ef8f00',
    'not reproduced': '#c62828',
    'NOT reproduced': '#c62828',
    inconclusive: '#5c6bc0',
    'no reference': '#757575',
    smoke: '#9e9e9e',
    'older result': '#424242',
  };
  const verdictLabel = (kind) => (kind === 'older result' ? 'no verdict (older result)' : kind);
  const workloadColors = ['#1565c0', '#ef6c00', '#6a1b9a', '#00838f'];
  const lineColors = ['#1565c0', '#c62828', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#ad1457', '#4e342e', '#546e7a', '#9e9d24'];

  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#222';

  // Interval whiskers: a dataset may carry `whiskers` (one {low, high} or null per point) and
  // `whiskerAxis` ('x' for horizontal intervals, 'y' for vertical ones).
  Chart.register({
    id: 'whiskers',
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx;
      chart.data.datasets.forEach((ds, i) => {
        if (!ds.whiskers || !chart.isDatasetVisible(i)) return;
        const meta = chart.getDatasetMeta(i);
        const axis = ds.whiskerAxis || 'y';
        const scale = chart.scales[axis];
        ctx.save();
        // An interval wider than the axis is cut at the plot's edge, not drawn over the legend.
        const area = chart.chartArea;
        ctx.beginPath();
        ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
        ctx.clip();
        ctx.lineWidth = 1.5;
        meta.data.forEach((element, j) => {
          const w = ds.whiskers[j];
          if (!w || !(w.low > 0 || axis === 'y') || element.skip) return;
          const color = Array.isArray(ds.whiskerColor) ? ds.whiskerColor[j] : ds.whiskerColor || '#333';
          ctx.strokeStyle = color;
          ctx.beginPath();
          if (axis === 'x') {
            const a = scale.getPixelForValue(w.low);
            const b = scale.getPixelForValue(w.high);
            ctx.moveTo(a, element.y); ctx.lineTo(b, element.y);
            ctx.moveTo(a, element.y - 5); ctx.lineTo(a, element.y + 5);
            ctx.moveTo(b, element.y - 5); ctx.lineTo(b, element.y + 5);
          } else {
            const a = scale.getPixelForValue(w.low);
            const b = scale.getPixelForValue(w.high);
            ctx.moveTo(element.x, a); ctx.lineTo(element.x, b);
            ctx.moveTo(element.x - 5, a); ctx.lineTo(element.x + 5, a);
            ctx.moveTo(element.x - 5, b); ctx.lineTo(element.x + 5, b);
          }
          ctx.stroke();
        });
        ctx.restore();
      });
    },
  });

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null) continue;
      if (key === 'class') node.className = value;
      else if (key.startsWith('data-')) node.setAttribute(key, value);
      else node[key] = value;
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }
  const fmt = (n) => (n === undefined || n === null || !isFinite(n) ? '–' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n >= 1 ? n.toFixed(2) : n.toPrecision(2));
  const ci = (i) => (i ? ` [${fmt(i.low)}–${fmt(i.high)}]` : '');
  // Log axes: label 1, 2 and 5 of each decade only (Chart.js labels every minor tick).
  // Over more than three decades, powers of ten only; within one, one-digit values (3, 4, 5…).
  const logTicks = { maxRotation: 0, autoSkip: false, callback: function (value) {
    const m = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
    const decades = Math.log10(this.max / this.min);
    if (decades < 1) return Math.abs(value - Number(value.toPrecision(1))) < 1e-9 * value ? fmt(value) : null;
    const steps = decades > 3 ? [1] : [1, 2, 5];
    return steps.some((k) => Math.abs(m - k) < 1e-6) ? fmt(value) : null;
  } };
  const day = (iso) => (iso ? iso.replace('T', ' ').slice(0, 16) + ' UTC' : 'date unknown');
  const provenance = (o) => [day(o.date), o.node ? `Node ${o.node}` : 'Node unknown', o.cores ? `${o.cores} cores` : undefined, o.cpu || undefined].filter(Boolean).join(' · ');

  /** A chart in a box of fixed height; returns the Chart. */
  function chart(parent, height, config, label) {
    const canvas = el('canvas', { class: 'chart', 'data-chart': label });
    parent.append(el('div', { class: 'chart-box', style: `height:${height}px` }, canvas));
    canvas.parentElement.style.height = `${height}px`;
    return new Chart(canvas, config);
  }

  // ---- header
  const main = document.getElementById('main');
  main.append(el('p', { class: 'meta' }, `Built ${day(data.generated)} from results/ and every lessons/*/bench*.reference.json. Opens offline: data and chart code are inside this file.`));
  const legend = el('p', { class: 'legend' }, 'Verdict colours: ');
  for (const kind of ['reproduced', 'size differs', 'not reproduced', 'inconclusive', 'no reference', 'smoke', 'older result']) {
    legend.append(el('span', { class: 'swatch', style: `background:${verdictColors[kind]}` }), ` ${verdictLabel(kind)}  `);
  }
  main.append(legend);

  // ---- the scoreboard: the headline
  const board = data.scoreboard;
  const sb = el('section', { id: 'scoreboard' }, el('h2', {}, 'Scoreboard: every stage of the service, the same three workloads'));
  main.append(sb);
  if (!board) {
    sb.append(el('p', { class: 'missing' }, 'not run yet: `npm run scoreboard` writes results/scoreboard.json'));
  } else {
    sb.append(el('p', { class: 'meta' }, `${provenance(board)} · capacity = highest offered rate (open loop, Poisson arrivals) with p99 ≤ ${board.sloP99Ms} ms and no failed request; bars are the mean of the repeats, whiskers the 95% interval`));
    if (board.settings) {
      const t = board.settings;
      sb.append(el('p', { class: 'meta' }, `${t.repeats} repeat(s) of a search from ${t.startRps} req/s (×2 up to ${t.maxRps}, then ${t.bisections} bisections), ${t.seconds} s per rate after ${t.warmupSeconds} s unrecorded; CPU at ${t.cpuRateRps} req/s for ${t.cpuSeconds} s`));
    }
    if (board.conditions) sb.append(el('p', { class: 'meta' }, `load average ${(board.conditions.loadAverageStart || []).join(' ')} at the start, ${(board.conditions.loadAverageEnd || []).join(' ')} at the end (on a shared machine, capacity is the share this run got)`));
    if (board.complete === false) sb.append(el('p', { class: 'smoke' }, 'Incomplete run: it was stopped (or is still running) before every cell was measured.'));
    if (board.smoke) sb.append(el('p', { class: 'smoke' }, 'SMOKE RUN (--short): shows the scoreboard works; these numbers are not a measurement and claim no capacity.'));
    const cell = (s, w) => board.cells.find((c) => c.stage === s && c.workload === w);
    // Two-line axis labels: "02" over "SQLite".
    const wrap = (text) => text.split(' ').reduce((lines, word) => {
      const last = lines[lines.length - 1];
      if (last && `${last} ${word}`.length <= 22) lines[lines.length - 1] = `${last} ${word}`;
      else lines.push(word);
      return lines;
    }, []);
    const labels = board.stages.map((s) => { const [id, ...rest] = s.label.split(' · '); return [id, ...wrap(rest.join(' · '))]; });
    const interval = (c) => (c && c.capacity && c.capacity.repeats && c.capacity.repeats.length > 1 ? c.capacity.ci : null);
    chart(sb, 340, {
      type: 'bar',
      data: {
        labels,
        datasets: board.workloads.map((w, i) => ({
          label: w.label,
          backgroundColor: workloadColors[i % workloadColors.length],
          data: board.stages.map((s) => cell(s.id, w.id)?.capacity?.rps ?? null),
          whiskers: board.stages.map((s) => interval(cell(s.id, w.id))),
          whiskerColor: '#111',
        })),
      },
      options: { plugins: { title: { display: true, text: `capacity at p99 ≤ ${board.sloP99Ms} ms (req/s)` } }, scales: { x: { ticks: { maxRotation: 0 } }, y: { beginAtZero: true, title: { display: true, text: 'req/s' } } } },
    }, 'scoreboard-capacity');
    chart(sb, 260, {
      type: 'bar',
      data: {
        labels,
        datasets: board.workloads.map((w, i) => ({
          label: w.label,
          backgroundColor: workloadColors[i % workloadColors.length],
          data: board.stages.map((s) => cell(s.id, w.id)?.cpuPerRequestUs ?? null),
        })),
      },
      options: { plugins: { title: { display: true, text: 'server CPU per request, whole process tree (µs), at one moderate rate' } }, scales: { x: { ticks: { maxRotation: 0 } }, y: { beginAtZero: true, title: { display: true, text: 'µs / request' } } } },
    }, 'scoreboard-cpu');
    const table = el('table', { class: 'grid' }, el('tr', {}, el('th', {}, 'stage'), board.workloads.map((w) => el('th', {}, w.label))));
    for (const s of board.stages) {
      table.append(el('tr', {}, el('td', {}, s.label), board.workloads.map((w) => {
        const c = cell(s.id, w.id);
        if (!c) return el('td', { class: 'missing' }, 'not run yet');
        if (!c.capacity) return el('td', { class: 'missing' }, c.note || 'not measured');
        // Every search reached the generator's ceiling: the stage's capacity is at least that.
        const searches = board.searches && board.searches[`${s.id}/${w.id}`];
        const atLeast = Array.isArray(searches) && searches.length > 0 && searches.every((x) => x.capped) ? '≥ ' : '';
        return el('td', { title: c.note || '' }, `${atLeast}${c.capacity.rps} req/s${atLeast ? '' : ci(interval(c))}${c.capacity.repeats ? ` (${c.capacity.repeats.length} repeat${c.capacity.repeats.length === 1 ? '' : 's'})` : ''}`, el('br'), c.cpuPerRequestUs === undefined ? '' : `${fmt(c.cpuPerRequestUs)} µs/req at ${c.cpuRateRps} req/s`, c.note ? el('div', { class: 'note' }, c.note) : null);
      })));
    }
    sb.append(table);
  }

  // ---- the last bench:all
  if (data.summary) {
    const s = data.summary;
    const sec = el('section', { id: 'summary' }, el('h2', {}, 'Last `npm run bench:all`'), el('p', { class: 'meta' }, `${provenance(s)}${s.smoke ? ' · SMOKE RUN' : ''}${s.seconds ? ` · ${Math.round(s.seconds / 60)} min` : ''}`));
    if (Array.isArray(s.lessons)) {
      sec.append(el('table', { class: 'grid' }, el('tr', {}, el('th', {}, 'lesson'), el('th', {}, 'status'), el('th', {}, 'seconds')),
        s.lessons.map((l) => el('tr', {}, el('td', {}, l.lesson), el('td', { class: l.status === 'ok' ? 'ok' : 'bad' }, l.status), el('td', {}, fmt(l.seconds))))));
    }
    if (Array.isArray(s.ratios) && s.ratios.length > 0) {
      sec.append(el('table', { class: 'grid summary-ratios' },
        el('tr', {}, ['lesson', 'bench', 'ratio', 'rate ratio', 'verdict', 'reference'].map((h) => el('th', {}, h))),
        s.ratios.map((r) => el('tr', { 'data-ratio': `${r.lesson} ${r.ratio}`, 'data-verdict': r.verdict },
          el('td', {}, r.lesson), el('td', {}, r.title), el('td', {}, r.ratio),
          el('td', {}, `${fmt(r.rate)}x${ci(r.rateCi)}`),
          el('td', { class: 'verdict', style: `color:${verdictColors[r.verdict] || '#000'}` }, verdictLabel(r.verdict)),
          el('td', {}, r.reference ? `${fmt(r.reference.rate)}x${ci(r.reference.rateCi)}` : 'no reference')))));
    }
    main.append(sec);
  }

  // ---- per lesson
  const pLabel = (p) => `p${p}`;
  for (const lesson of data.lessons) {
    const sec = el('section', { class: 'lesson', id: lesson.id }, el('h2', {}, lesson.title), el('p', { class: 'meta' }, `${lesson.id} · lessons/${lesson.dir}`));
    main.append(sec);
    for (const ref of lesson.references) sec.append(el('p', { class: 'meta' }, `reference: ${ref.file} · ${provenance(ref)}`));
    if (lesson.runs.length === 0) {
      sec.append(el('p', { class: 'missing' }, `not run yet on this machine: \`npm run bench\` in lessons/${lesson.dir} writes results/${lesson.id}/`));
      // The reference's ratios alone, so the lesson's claims are still on the page.
      const refs = lesson.references.flatMap((r) => r.benches.flatMap((b) => b.ratios.map((x) => ({ ...x, title: b.title }))));
      if (refs.length > 0) ratioChart(sec, refs.map((r) => ({ label: `${r.variant} / ${r.baseline}`, reference: { ratio: r.rate, ci: r.rateCi } })), `${lesson.id} reference ratios`);
    }
    for (const run of lesson.runs) {
      const box = el('div', { class: 'run' }, el('h3', {}, run.title));
      sec.append(box);
      const load = run.loadAverage && run.loadAverage.length ? ` · load average ${run.loadAverage.map((n) => n.toFixed(1)).join(' ')}` : '';
      box.append(el('p', { class: 'meta' }, `${provenance(run)}${load} · ${run.file}${run.noiseFloor ? ` · A/A noise floor${ci(run.noiseFloor)}` : ''}`));
      if (run.smoke) box.append(el('p', { class: 'smoke' }, 'SMOKE RUN (--short): its numbers are not a measurement.'));
      if (!run.hasComparisons) box.append(el('p', { class: 'note' }, 'Written before the harness saved intervals and verdicts: each ratio is the ratio of the two rates, without an interval or a verdict.'));
      if (run.ratios.length > 0) {
        ratioChart(box, run.ratios.map((r) => ({ label: `${r.variant} / ${r.baseline}`, ratio: r.ratio, ci: r.ci, verdict: r.verdict, reference: r.reference })), `${lesson.id} ${run.title} ratios`);
        const table = el('table', { class: 'grid ratios' }, el('tr', {}, ['ratio', 'this run', 'verdict', 'reference run', 'CPU/request ratio'].map((h) => el('th', {}, h))));
        for (const r of run.ratios) {
          table.append(el('tr', { 'data-ratio': `${r.variant} / ${r.baseline}`, 'data-verdict': r.verdict },
            el('td', {}, `${r.variant} / ${r.baseline}${r.aa && !r.variant.includes('A/A') ? ' (A/A)' : ''}`),
            el('td', {}, `${fmt(r.ratio)}x${ci(r.ci)}`),
            el('td', { class: 'verdict', style: `color:${verdictColors[r.verdict] || '#000'}`, title: r.verdictText || '' }, verdictLabel(r.verdict)),
            el('td', {}, r.reference ? `${fmt(r.reference.ratio)}x${ci(r.reference.ci)}${r.reference.node ? ` · Node ${r.reference.node}` : ''}${r.reference.date ? ` · ${r.reference.date.slice(0, 10)}` : ''}` : 'no reference'),
            el('td', {}, r.cpuRatio === undefined ? '–' : `${fmt(r.cpuRatio)}x${ci(r.cpuCi)}`)));
        }
        box.append(table);
      } else if (run.ratioLines.length > 0) {
        box.append(el('pre', {}, run.ratioLines.join('\n')));
      }
      const withPercentiles = run.variants.filter((v) => v.percentiles && v.percentiles.length >= 2);
      if (withPercentiles.length > 0) {
        const ps = [...new Set(withPercentiles.flatMap((v) => v.percentiles.map((p) => p.percentile)))].sort((a, b) => a - b);
        chart(box, 260, {
          type: 'line',
          data: {
            labels: ps.map(pLabel),
            datasets: withPercentiles.map((v, i) => ({
              label: v.name, borderColor: lineColors[i % lineColors.length], backgroundColor: lineColors[i % lineColors.length],
              data: ps.map((p) => v.percentiles.find((x) => x.percentile === p)?.ms ?? null), spanGaps: true,
            })),
          },
          options: { plugins: { title: { display: true, text: 'latency percentiles (ms, log scale), merged over measured rounds' } }, scales: { y: { type: 'logarithmic', ticks: logTicks, title: { display: true, text: 'ms' } }, x: { title: { display: true, text: 'percentile' } } } },
        }, `${lesson.id} ${run.title} percentiles`);
      }
      const split = run.variants.filter((v) => v.perProcess && v.perProcess.length > 0);
      if (split.length > 0) {
        const keys = [...new Set(split.flatMap((v) => v.perProcess.map((p) => `${p.role}: ${p.command}`)))];
        chart(box, 110 + 40 * split.length, {
          type: 'bar',
          data: {
            labels: split.map((v) => v.name),
            datasets: keys.map((key, i) => ({
              label: key, backgroundColor: lineColors[i % lineColors.length],
              data: split.map((v) => v.perProcess.filter((p) => `${p.role}: ${p.command}` === key).reduce((s, p) => s + p.cpuUsPerRequest, 0)),
            })),
          },
          options: { indexAxis: 'y', plugins: { title: { display: true, text: 'server CPU µs per request, by process role' } }, scales: { x: { stacked: true, beginAtZero: true, title: { display: true, text: 'µs / request' } }, y: { stacked: true } } },
        }, `${lesson.id} ${run.title} cpu split`);
      }
    }
    for (const picture of lesson.pictures) {
      sec.append(el('figure', {},
        el('img', { class: 'picture', alt: picture.caption, src: `data:image/svg+xml;base64,${picture.svgBase64}` }),
        el('figcaption', {}, `${picture.caption} · ${picture.source}`)));
    }
    if (lesson.problems.length > 0) sec.append(el('ul', { class: 'note' }, lesson.problems.map((p) => el('li', {}, p))));
  }
  if (data.problems.length > 0) main.append(el('ul', { class: 'note' }, data.problems.map((p) => el('li', {}, p))));

  /** Ratios as points on a log axis, this run coloured by verdict, the reference in grey, each with its interval. */
  function ratioChart(parent, rows, label) {
    const labels = rows.map((r) => r.label);
    const datasets = [];
    const mine = rows.filter((r) => r.ratio > 0);
    if (mine.length > 0) {
      datasets.push({
        label: 'this run (colour: verdict)',
        backgroundColor: '#444', borderColor: '#444',
        data: rows.map((r) => (r.ratio > 0 ? { x: r.ratio, y: r.label } : null)),
        pointBackgroundColor: rows.map((r) => verdictColors[r.verdict] || '#000'),
        pointBorderColor: rows.map((r) => verdictColors[r.verdict] || '#000'),
        pointRadius: 6,
        whiskers: rows.map((r) => r.ci || null), whiskerAxis: 'x', whiskerColor: rows.map((r) => verdictColors[r.verdict] || '#000'),
      });
    }
    datasets.push({
      label: 'reference run',
      data: rows.map((r) => (r.reference && r.reference.ratio > 0 ? { x: r.reference.ratio, y: r.label } : null)),
      backgroundColor: '#fff', borderColor: '#777',
      pointBackgroundColor: '#ffffff', pointBorderColor: '#777', pointBorderWidth: 2, pointRadius: 5, pointStyle: 'rectRot',
      whiskers: rows.map((r) => (r.reference && r.reference.ci) || null), whiskerAxis: 'x', whiskerColor: '#999',
    });
    const values = rows.flatMap((r) => [r.ratio, r.ci && r.ci.low, r.ci && r.ci.high, r.reference && r.reference.ratio, r.reference && r.reference.ci && r.reference.ci.low, r.reference && r.reference.ci && r.reference.ci.high]).filter((v) => v > 0);
    chart(parent, 120 + 34 * rows.length, {
      type: 'scatter',
      data: { datasets },
      options: {
        plugins: { title: { display: true, text: 'ratio variant / baseline (log scale; 1 = no difference), 95% intervals as whiskers' }, legend: { display: true, position: 'bottom' } },
        scales: {
          y: { type: 'category', labels, offset: true, reverse: false },
          x: { type: 'logarithmic', min: Math.min(0.5, ...values) / 1.2, max: Math.max(2, ...values) * 1.2, ticks: logTicks, title: { display: true, text: 'ratio' } },
        },
      },
    }, label);
  }
  document.body.setAttribute('data-rendered', 'true');
})();
