// A small SVG chart writer: axes with nice ticks, lines, bands, points, bars, background bands — no DOM needed.

export const WIDTH = 800;
export const HEIGHT = 420;
const M = { left: 64, right: 24, top: 76, bottom: 56 };

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Round tick values covering [lo, hi], about `count` of them (1, 2, 5 x 10^k steps). */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

export interface Frame {
  x(v: number): number;
  y(v: number): number;
  parts: string[];
}

export interface FrameSpec {
  title: string;
  /** A smaller second line under the title (e.g. what kind of weather forecast was used). */
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  xDomain: [number, number];
  yDomain: [number, number];
  /** No y tick labels (a bar chart's y is a category index). */
  hideYTicks?: boolean;
  /** Tick labels for x: positions and text (dates); default numeric ticks. */
  xTicks?: { at: number; text: string }[];
}

/** Starts a chart: the scales, a white background, title, axes, grid and labels. */
export function frame(spec: FrameSpec): Frame {
  const [x0, x1] = spec.xDomain;
  const yTicks = niceTicks(spec.yDomain[0], spec.yDomain[1]);
  const y0 = Math.min(spec.yDomain[0], yTicks[0]!);
  const y1 = Math.max(spec.yDomain[1], yTicks.at(-1)!);
  const pw = WIDTH - M.left - M.right;
  const ph = HEIGHT - M.top - M.bottom;
  const x = (v: number) => M.left + ((v - x0) / (x1 - x0 || 1)) * pw;
  const y = (v: number) => M.top + ph - ((v - y0) / (y1 - y0 || 1)) * ph;
  const parts = [
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="26" text-anchor="middle" font-size="17" font-weight="bold">${esc(spec.title)}</text>`,
  ];
  if (spec.subtitle) parts.push(`<text x="${WIDTH / 2}" y="45" text-anchor="middle" font-size="12" fill="#444">${esc(spec.subtitle)}</text>`);
  for (const t of spec.hideYTicks ? [] : yTicks) {
    parts.push(`<line x1="${M.left}" x2="${WIDTH - M.right}" y1="${r1(y(t))}" y2="${r1(y(t))}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${M.left - 8}" y="${r1(y(t) + 4)}" text-anchor="end" font-size="12">${t}</text>`);
  }
  const xt = spec.xTicks ?? niceTicks(x0, x1).map((v) => ({ at: v, text: String(v) }));
  for (const t of xt) parts.push(`<text x="${r1(x(t.at))}" y="${HEIGHT - M.bottom + 18}" text-anchor="middle" font-size="12">${esc(t.text)}</text>`);
  parts.push(`<line x1="${M.left}" x2="${WIDTH - M.right}" y1="${M.top + ph}" y2="${M.top + ph}" stroke="#444"/>`);
  parts.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + ph}" stroke="#444"/>`);
  parts.push(`<text x="${M.left + pw / 2}" y="${HEIGHT - 12}" text-anchor="middle" font-size="13">${esc(spec.xLabel)}</text>`);
  parts.push(`<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(spec.yLabel)}</text>`);
  return { x, y, parts };
}

/** Horizontal colour bands behind the data (e.g. AQI categories), clipped to the y range. */
export function backgroundBands(f: Frame, bands: readonly { from: number; to: number; color: string; label: string }[], yMax: number): void {
  for (const b of bands) {
    if (b.from > yMax) continue;
    const top = f.y(Math.min(b.to, yMax));
    const bottom = f.y(b.from);
    f.parts.splice(
      1,
      0,
      `<rect x="${M.left}" y="${r1(top)}" width="${WIDTH - M.left - M.right}" height="${r1(bottom - top)}" fill="${b.color}" opacity="0.25"/>`,
    );
    f.parts.push(`<text x="${WIDTH - M.right - 4}" y="${r1(top + 13)}" text-anchor="end" font-size="11" fill="#555">${esc(b.label)}</text>`);
  }
}

export function line(f: Frame, xs: readonly number[], ys: readonly (number | null)[], color: string, width = 2, dash = ''): void {
  let d = '';
  let pen = false;
  xs.forEach((xv, i) => {
    const yv = ys[i];
    if (yv === null || yv === undefined || !Number.isFinite(yv)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${r1(f.x(xv))},${r1(f.y(yv))}`;
    pen = true;
  });
  if (d) f.parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
}

export function band(f: Frame, xs: readonly number[], lower: readonly number[], upper: readonly number[], color: string): void {
  if (xs.length === 0) return;
  const top = xs.map((x, i) => `${r1(f.x(x))},${r1(f.y(upper[i]!))}`);
  const bottom = xs.map((x, i) => `${r1(f.x(x))},${r1(f.y(lower[i]!))}`).reverse();
  f.parts.push(`<path d="M${[...top, ...bottom].join('L')}Z" fill="${color}" opacity="0.3" stroke="none"/>`);
}

export function points(f: Frame, xs: readonly number[], ys: readonly number[], color: string, radius = 2.5): void {
  xs.forEach((x, i) => f.parts.push(`<circle cx="${r1(f.x(x))}" cy="${r1(f.y(ys[i]!))}" r="${radius}" fill="${color}" fill-opacity="0.5"/>`));
}

export function legend(f: Frame, items: readonly { label: string; color: string }[]): void {
  items.forEach((it, i) => {
    const x = M.left + 10 + i * 180;
    f.parts.push(`<rect x="${x}" y="${M.top - 14}" width="14" height="4" fill="${it.color}"/>`);
    f.parts.push(`<text x="${x + 20}" y="${M.top - 9}" font-size="12">${esc(it.label)}</text>`);
  });
}

export function svgDocument(f: Frame): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif">\n${f.parts.join('\n')}\n</svg>\n`;
}
