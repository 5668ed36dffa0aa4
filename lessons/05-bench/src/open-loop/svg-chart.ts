/**
 * A small SVG line chart, hand-written so the lesson needs no plotting library: latency
 * percentiles (log scale) against offered load (log scale), one colour per variant, one dash
 * style per percentile.
 */

/** One line: points (x = offered req/s, y = latency ms). */
export interface Series { variant: string; percentile: string; points: { x: number; y: number }[] }

const colours = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd'];
const dashes: Record<string, string> = { p50: '', p99: '6 3', 'p99.9': '2 3' };

const escape = (t: string): string => t.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The chart as an SVG document. */
export function latencyChart(series: readonly Series[], title: string, width = 720, height = 420): string {
  const all = series.flatMap((s) => s.points).filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.y));
  const m = { left: 64, right: 170, top: 36, bottom: 48 };
  const decade = (v: number, up: boolean): number => 10 ** (up ? Math.ceil(Math.log10(v)) : Math.floor(Math.log10(v)));
  const [x0, x1] = [decade(Math.min(...all.map((p) => p.x)), false), decade(Math.max(...all.map((p) => p.x)), true)];
  const [y0, y1] = [decade(Math.min(...all.map((p) => p.y)), false), decade(Math.max(...all.map((p) => p.y)), true)];
  const sx = (x: number): number => m.left + ((Math.log10(x) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))) * (width - m.left - m.right);
  const sy = (y: number): number => height - m.bottom - ((Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * (height - m.top - m.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${m.left}" y="20" font-size="14">${escape(title)}</text>`,
  ];
  for (let v = x0; v <= x1 * 1.0001; v *= 10) {
    out.push(`<line x1="${sx(v)}" y1="${m.top}" x2="${sx(v)}" y2="${height - m.bottom}" stroke="#ddd"/>`, `<text x="${sx(v)}" y="${height - m.bottom + 16}" text-anchor="middle">${v.toLocaleString('en-US')}</text>`);
  }
  for (let v = y0; v <= y1 * 1.0001; v *= 10) {
    out.push(`<line x1="${m.left}" y1="${sy(v)}" x2="${width - m.right}" y2="${sy(v)}" stroke="#ddd"/>`, `<text x="${m.left - 6}" y="${sy(v) + 4}" text-anchor="end">${v.toLocaleString('en-US')}</text>`);
  }
  out.push(
    `<text x="${(m.left + width - m.right) / 2}" y="${height - 10}" text-anchor="middle">offered load, requests/s (log)</text>`,
    `<text transform="translate(16 ${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle">latency from intended send, ms (log)</text>`,
  );
  const variants = [...new Set(series.map((s) => s.variant))];
  series.forEach((s) => {
    const colour = colours[variants.indexOf(s.variant) % colours.length]!;
    const pts = s.points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.y)).map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" stroke-dasharray="${dashes[s.percentile] ?? ''}" points="${pts}"/>`);
  });
  let ly = m.top + 8;
  for (const variant of variants) {
    for (const percentile of Object.keys(dashes)) {
      if (!series.some((s) => s.variant === variant && s.percentile === percentile)) continue;
      const colour = colours[variants.indexOf(variant) % colours.length]!;
      const lx = width - m.right + 12;
      out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 28}" y2="${ly}" stroke="${colour}" stroke-width="2" stroke-dasharray="${dashes[percentile]}"/>`, `<text x="${lx + 34}" y="${ly + 4}">${escape(`${variant} ${percentile}`)}</text>`);
      ly += 18;
    }
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
