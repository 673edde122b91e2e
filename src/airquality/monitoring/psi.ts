// The population stability index: how far a recent sample of one feature has moved from its reference distribution.
//
// PSI = Σ (recent_i − reference_i) · ln(recent_i / reference_i) over bins cut at the reference's deciles. The usual
// reading (Siddiqi, "Credit Risk Scorecards", 2006): below 0.1 stable, 0.1 to 0.25 a shift worth watching, above 0.25
// a shift to act on.
export const PSI_WATCH = 0.1;
export const PSI_DRIFT = 0.25;

/** A share too small to divide by: an empty bin counts as half an observation. */
const share = (count: number, n: number) => Math.max(count, 0.5) / n;

/** The bin edges: the reference's distinct decile cut points (fewer bins when values repeat). */
function edges(reference: readonly number[], bins: number): number[] {
  const sorted = [...reference].sort((a, b) => a - b);
  const cuts = Array.from({ length: bins - 1 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / bins)]!);
  return [...new Set(cuts)];
}

function counts(values: readonly number[], cuts: readonly number[]): number[] {
  const out = new Array<number>(cuts.length + 1).fill(0);
  for (const v of values) {
    let i = 0;
    while (i < cuts.length && v >= cuts[i]!) i++;
    out[i]!++;
  }
  return out;
}

/** The PSI of `recent` against `reference` (finite values only; NaN when either has none). */
export function psi(reference: readonly number[], recent: readonly number[], bins = 10): number {
  const ref = reference.filter(Number.isFinite);
  const now = recent.filter(Number.isFinite);
  if (ref.length === 0 || now.length === 0) return NaN;
  const cuts = edges(ref, bins);
  const r = counts(ref, cuts);
  const c = counts(now, cuts);
  let sum = 0;
  for (let i = 0; i < r.length; i++) {
    const p = share(r[i]!, ref.length);
    const q = share(c[i]!, now.length);
    sum += (q - p) * Math.log(q / p);
  }
  return sum;
}
