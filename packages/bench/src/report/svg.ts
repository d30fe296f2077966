/** One point of a series, with an optional min–max range. */
export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  readonly min?: number;
  readonly max?: number;
}

/** A named series of a line chart. */
export interface ChartSeries {
  readonly name: string;
  readonly points: readonly ChartPoint[];
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  /** Logarithmic axes. Default x log, y linear. */
  readonly logX?: boolean;
  readonly logY?: boolean;
  /** A horizontal reference line (a goal). */
  readonly reference?: { readonly y: number; readonly label: string };
}

/** One bar, with an optional min–max range. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly min?: number;
  readonly max?: number;
  /** A goal marker drawn across the bar. */
  readonly goal?: number;
}

/** Options of {@link barChart}. */
export interface BarChartOptions {
  readonly title: string;
  readonly unit: string;
  readonly bars: readonly Bar[];
  /** A vertical reference line (e.g. 1× for ratios). */
  readonly reference?: { readonly value: number; readonly label: string };
  /** Logarithmic value axis (for ratios spanning orders of magnitude). Default false. */
  readonly log?: boolean;
}

const COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"];
const W = 640;
const H = 360;
const M = { left: 64, right: 150, top: 36, bottom: 48 };

const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Short number label: 1.2k, 35, 0.081. */
export function label(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e6) return `${+(n / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${+(n / 1e3).toPrecision(3)}k`;
  return String(+n.toPrecision(a >= 1 ? 3 : 2));
}

function scale(lo: number, hi: number, from: number, to: number, log: boolean): (v: number) => number {
  const f = log ? Math.log10 : (v: number) => v;
  const a = f(lo);
  const b = f(hi);
  return (v) => from + ((f(Math.max(v, log ? lo : v)) - a) / (b - a || 1)) * (to - from);
}

function ticks(lo: number, hi: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
    return out.filter((t) => t >= lo * 0.999 && t <= hi * 1.001);
  }
  const step = 10 ** Math.floor(Math.log10((hi - lo) / 4 || 1));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (hi - lo) / s <= 6) ?? step * 10;
  const out: number[] = [];
  for (let t = Math.ceil(lo / nice) * nice; t <= hi + 1e-9; t += nice) out.push(+t.toPrecision(6));
  return out;
}

function frame(title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${esc(title)}</text>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

/**
 * A line chart as a standalone SVG string: one line per series, min–max whiskers, a legend.
 *
 * @param options - title, axes, series
 * @returns the SVG document
 */
export function lineChart(options: LineChartOptions): string {
  const logX = options.logX ?? true;
  const logY = options.logY ?? false;
  const pts = options.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y));
  const xs = pts.map((p) => p.x);
  const ys = pts
    .flatMap((p) => [p.y, p.min ?? p.y, p.max ?? p.y])
    .concat(options.reference ? [options.reference.y] : []);
  const xLo = Math.min(...xs);
  const xHi = Math.max(...xs);
  const yLo = logY ? Math.min(...ys.filter((y) => y > 0)) / 1.5 : 0;
  const yHi = Math.max(...ys) * (logY ? 1.5 : 1.1) || 1;
  const sx = scale(xLo, xHi, M.left, W - M.right, logX);
  const sy = scale(yLo, yHi, H - M.bottom, M.top, logY);
  const body: string[] = [];
  for (const t of ticks(yLo || 1e-9, yHi, logY)) {
    body.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#e5e5e5"/>`,
    );
    body.push(`<text x="${M.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${label(t)}</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    body.push(
      `<text x="${sx(x).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${label(x)}</text>`,
    );
  }
  body.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`,
  );
  body.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>`);
  body.push(
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 10}" text-anchor="middle">${esc(options.xLabel)}</text>`,
  );
  body.push(
    `<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(options.yLabel)}</text>`,
  );
  if (options.reference !== undefined) {
    const y = sy(options.reference.y).toFixed(1);
    body.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#c00" stroke-dasharray="5 4"/>`,
    );
    body.push(`<text x="${W - M.right + 4}" y="${y}" fill="#c00">${esc(options.reference.label)}</text>`);
  }
  options.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const p = s.points.filter((q) => Number.isFinite(q.y));
    body.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${p.map((q) => `${sx(q.x).toFixed(1)},${sy(q.y).toFixed(1)}`).join(" ")}"/>`,
    );
    for (const q of p) {
      const x = sx(q.x).toFixed(1);
      if (q.min !== undefined && q.max !== undefined) {
        body.push(
          `<line x1="${x}" x2="${x}" y1="${sy(q.min).toFixed(1)}" y2="${sy(q.max).toFixed(1)}" stroke="${color}"/>`,
        );
      }
      body.push(
        `<circle cx="${x}" cy="${sy(q.y).toFixed(1)}" r="3" fill="${color}"><title>${esc(`${s.name}: ${label(q.x)} → ${label(q.y)}`)}</title></circle>`,
      );
    }
    const ly = M.top + 16 + i * 18;
    body.push(`<rect x="${W - M.right + 12}" y="${ly - 9}" width="12" height="12" fill="${color}"/>`);
    body.push(`<text x="${W - M.right + 30}" y="${ly + 1}">${esc(s.name)}</text>`);
  });
  return frame(options.title, body);
}

/**
 * A horizontal bar chart as a standalone SVG string, with min–max whiskers, goal markers and
 * an optional reference line.
 *
 * @param options - title, unit, bars
 * @returns the SVG document
 */
export function barChart(options: BarChartOptions): string {
  const left = 190;
  const right = 70;
  const rowH = 26;
  const height = M.top + options.bars.length * rowH + 40;
  const log = options.log === true;
  const values = options.bars.flatMap((b) => [
    b.value,
    b.min ?? b.value,
    b.max ?? b.value,
    b.goal ?? b.value,
  ]);
  const hi = Math.max(...values, options.reference?.value ?? 0) * (log ? 1.5 : 1.1) || 1;
  const lo = log
    ? Math.min(...values.filter((v) => v > 0), options.reference?.value ?? Number.POSITIVE_INFINITY) / 1.5
    : 0;
  const sx = scale(lo, hi, left, W - right, log);
  const body: string[] = [];
  for (const t of ticks(lo, hi, log)) {
    body.push(
      `<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${M.top}" y2="${height - 30}" stroke="#eee"/>`,
    );
    body.push(`<text x="${sx(t).toFixed(1)}" y="${height - 16}" text-anchor="middle">${label(t)}</text>`);
  }
  options.bars.forEach((b, i) => {
    const y = M.top + i * rowH;
    body.push(`<text x="${left - 8}" y="${y + 16}" text-anchor="end">${esc(b.label)}</text>`);
    body.push(
      `<rect x="${left}" y="${y + 4}" width="${Math.max(0, sx(b.value) - left).toFixed(1)}" height="${rowH - 8}" fill="${COLORS[0]}"/>`,
    );
    if (b.min !== undefined && b.max !== undefined) {
      body.push(
        `<line x1="${sx(b.min).toFixed(1)}" x2="${sx(b.max).toFixed(1)}" y1="${y + 13}" y2="${y + 13}" stroke="#222"/>`,
      );
    }
    if (b.goal !== undefined) {
      body.push(
        `<line x1="${sx(b.goal).toFixed(1)}" x2="${sx(b.goal).toFixed(1)}" y1="${y + 1}" y2="${y + rowH - 1}" stroke="#c00" stroke-width="2"/>`,
      );
    }
    body.push(
      `<text x="${(Math.max(sx(b.value), sx(b.max ?? 0)) + 6).toFixed(1)}" y="${y + 17}">${label(b.value)}${esc(options.unit)}</text>`,
    );
  });
  if (options.reference !== undefined) {
    const x = sx(options.reference.value).toFixed(1);
    body.push(
      `<line x1="${x}" x2="${x}" y1="${M.top - 4}" y2="${height - 30}" stroke="#333" stroke-dasharray="4 3"/>`,
    );
    body.push(
      `<text x="${(Number(x) + 4).toFixed(1)}" y="${height - 34}" fill="#333">${esc(options.reference.label)}</text>`,
    );
  }
  const svg = frame(options.title, body);
  return svg
    .replace(
      `viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"`,
      `viewBox="0 0 ${W} ${height}" width="${W}" height="${height}"`,
    )
    .replace(`<rect width="${W}" height="${H}"`, `<rect width="${W}" height="${height}"`);
}
