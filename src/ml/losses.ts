// Training losses for boosting: squared error for the mean, pinball (quantile) loss for prediction intervals.

export interface Loss {
  name: string;
  /** The constant that minimises the loss over y: the first prediction. */
  init(y: Float64Array): number;
  /** Gradient of the loss with respect to the prediction (hessians are 1 for both losses here). */
  gradient(y: number, pred: number): number;
  value(y: number, pred: number): number;
  /** Quantile loss re-fits each leaf to the quantile of its residuals (as LightGBM does), since its gradient carries no size. */
  renewLeaf?(residuals: Float64Array): number;
}

/** The q-quantile of values (linear interpolation between order statistics). Sorts a copy. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export const squaredError: Loss = {
  name: 'squared_error',
  init: (y) => y.reduce((a, b) => a + b, 0) / Math.max(1, y.length),
  gradient: (y, p) => p - y,
  value: (y, p) => (p - y) ** 2,
};

export function pinball(alpha: number): Loss {
  return {
    name: `quantile_${alpha}`,
    init: (y) => quantile(y, alpha),
    gradient: (y, p) => (y < p ? 1 - alpha : -alpha),
    value: (y, p) => (y >= p ? alpha * (y - p) : (1 - alpha) * (p - y)),
    renewLeaf: (r) => quantile(r, alpha),
  };
}
