// Training losses for boosting: squared error for the mean, pinball (quantile) loss for prediction intervals.

export interface Loss {
  name: string;
  /** The constant that minimises the loss over y: the first prediction. */
  init(y: Float64Array): number;
  /** grad[i] for each i = order[0..count): the gradient with respect to the prediction (hessians are 1 for both losses). */
  gradients(y: Float64Array, pred: Float64Array, order: Uint32Array, count: number, grad: Float64Array): void;
  /** Mean loss over all rows. */
  mean(y: Float64Array, pred: Float64Array): number;
  /** Quantile loss re-fits each leaf to the quantile of its residuals (as LightGBM does), since its gradient carries no size. */
  renewLeaf?(residuals: Float64Array): number;
}

/** The k-th smallest (0-based) of `a`, rearranging `a` (Hoare's quickselect, expected linear time). */
function select(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** The q-quantile of values (linear interpolation between order statistics), in expected linear time. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const a = Float64Array.from(values);
  if (a.length === 0) return NaN;
  const pos = (a.length - 1) * q;
  const lo = Math.floor(pos);
  const v = select(a, lo);
  if (lo + 1 >= a.length || pos === lo) return v;
  // After selecting lo, everything above index lo is >= a[lo]: the next order statistic is their minimum.
  let next = Infinity;
  for (let i = lo + 1; i < a.length; i++) if (a[i]! < next) next = a[i]!;
  return v + (next - v) * (pos - lo);
}

export const squaredError: Loss = {
  name: 'squared_error',
  init: (y) => y.reduce((a, b) => a + b, 0) / Math.max(1, y.length),
  gradients(y, pred, order, count, grad) {
    for (let k = 0; k < count; k++) {
      const i = order[k]!;
      grad[i] = pred[i]! - y[i]!;
    }
  },
  mean(y, pred) {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += (pred[i]! - y[i]!) ** 2;
    return s / Math.max(1, y.length);
  },
};

export function pinball(alpha: number): Loss {
  return {
    name: `quantile_${alpha}`,
    init: (y) => quantile(y, alpha),
    gradients(y, pred, order, count, grad) {
      for (let k = 0; k < count; k++) {
        const i = order[k]!;
        grad[i] = y[i]! < pred[i]! ? 1 - alpha : -alpha;
      }
    },
    mean(y, pred) {
      let s = 0;
      for (let i = 0; i < y.length; i++) {
        const d = y[i]! - pred[i]!;
        s += d >= 0 ? alpha * d : (alpha - 1) * d;
      }
      return s / Math.max(1, y.length);
    },
    renewLeaf: (r) => quantile(r, alpha),
  };
}
