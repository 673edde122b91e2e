// Model-dependent transformations: fitted on the training split only, then applied identically in training,
// batch scoring and online serving. Built-ins plus user-defined ones registered per store.
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import type { FeatureType, FeatureValue } from '../types.js';

/** A transformation's fitted state: plain JSON, saved with the training dataset version. */
export type TransformationState = Record<string, unknown>;

export interface Transformation {
  /** Numeric transformations refuse string, bool, date and timestamp columns when a view is created. */
  numericOnly: boolean;
  fit(values: readonly FeatureValue[]): TransformationState;
  /** The names of the columns it outputs for `feature` (one, or one per category for one-hot). */
  outputs(feature: string, state: TransformationState): string[];
  /** One value per output. */
  apply(value: FeatureValue, state: TransformationState): (number | null)[];
}

const nums = (values: readonly FeatureValue[]) => values.filter((v): v is number => typeof v === 'number');
const single = (feature: string) => [feature];
const categoriesOf = (values: readonly FeatureValue[]) => [...new Set(values.filter((v) => v !== null).map(String))].sort();

export const BUILTIN_TRANSFORMATIONS: Record<string, Transformation> = {
  /** (x - min) / (max - min); 0 when the training values are all equal. */
  minMaxScaler: {
    numericOnly: true,
    fit: (values) => {
      const x = nums(values);
      return { min: x.length ? Math.min(...x) : 0, max: x.length ? Math.max(...x) : 0 };
    },
    outputs: single,
    apply: (v, s) => {
      if (typeof v !== 'number') return [null];
      const range = (s.max as number) - (s.min as number);
      return [range === 0 ? 0 : (v - (s.min as number)) / range];
    },
  },
  /** (x - mean) / std with the population standard deviation; 0 when std is 0. */
  standardScaler: {
    numericOnly: true,
    fit: (values) => {
      const x = nums(values);
      const mean = x.length ? x.reduce((a, b) => a + b, 0) / x.length : 0;
      const variance = x.length ? x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length : 0;
      return { mean, std: Math.sqrt(variance) };
    },
    outputs: single,
    apply: (v, s) => (typeof v !== 'number' ? [null] : [(s.std as number) === 0 ? 0 : (v - (s.mean as number)) / (s.std as number)]),
  },
  /** The index of the value among the training categories (sorted); null for unseen or missing values. */
  labelEncoder: {
    numericOnly: false,
    fit: (values) => ({ categories: categoriesOf(values) }),
    outputs: single,
    apply: (v, s) => {
      const i = v === null ? -1 : (s.categories as string[]).indexOf(String(v));
      return [i < 0 ? null : i];
    },
  },
  /** One 0/1 column per training category, named feature_category; all zeros for unseen or missing values. */
  oneHotEncoder: {
    numericOnly: false,
    fit: (values) => ({ categories: categoriesOf(values) }),
    outputs: (feature, s) => (s.categories as string[]).map((c) => `${feature}_${c}`),
    apply: (v, s) => (s.categories as string[]).map((c) => (v !== null && String(v) === c ? 1 : 0)),
  },
  /** ln(1 + x), defined for x > -1 (so zero concentrations stay finite); null otherwise. */
  logTransform: {
    numericOnly: true,
    fit: () => ({}),
    outputs: single,
    apply: (v) => (typeof v === 'number' && v > -1 ? [Math.log1p(v)] : [null]),
  },
};

export const NUMERIC_TYPES: readonly FeatureType[] = ['int', 'float'];

/** The transformations a store knows: the built-ins and those registered in this process. */
export class TransformationRegistry {
  private readonly custom = new Map<string, Transformation>();

  /** Registers a user-defined transformation. Feature views store its name; register it before serving. */
  register(name: string, t: Transformation): void {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(name)) throw new ValidationError(`transformation name "${name}" is not a valid identifier`);
    if (name in BUILTIN_TRANSFORMATIONS || this.custom.has(name)) {
      throw new ConflictError(`a transformation named "${name}" already exists`);
    }
    this.custom.set(name, t);
  }

  get(name: string): Transformation {
    const t = BUILTIN_TRANSFORMATIONS[name] ?? this.custom.get(name);
    if (!t) {
      throw new NotFoundError(
        `unknown transformation "${name}"; built-ins: ${Object.keys(BUILTIN_TRANSFORMATIONS).join(', ')}` +
          (this.custom.size ? `; registered: ${[...this.custom.keys()].join(', ')}` : '; register your own with store.registerTransformation'),
      );
    }
    return t;
  }
}
