// Which query outputs are features, labels and helper columns, and how a row becomes a transformed vector.
import type { OutputColumn } from '../query/query.js';
import type { FeatureGroupMeta, FeatureValue, Row } from '../types.js';
import { gather, valueAt, type Frame, type FrameColumn, type StoredColumn } from './frame.js';
import type { FeatureViewDefinition } from './schema.js';
import type { Transformation, TransformationRegistry, TransformationState } from './transformations.js';

export interface Layout {
  outputs: OutputColumn[];
  /** Model inputs before transformation, in query order (labels, helpers, the root key and event time excluded). */
  features: string[];
  labels: string[];
  inferenceHelpers: string[];
  trainingHelpers: string[];
}

export function layoutOf(def: FeatureViewDefinition, outputs: OutputColumn[], root: FeatureGroupMeta): Layout {
  const excluded = new Set([
    ...def.labels,
    ...def.inferenceHelperColumns,
    ...def.trainingHelperColumns,
    ...root.primaryKey,
    ...(root.eventTime ? [root.eventTime] : []),
  ]);
  return {
    outputs,
    features: outputs.map((o) => o.name).filter((n) => !excluded.has(n)),
    labels: def.labels,
    inferenceHelpers: def.inferenceHelperColumns,
    trainingHelpers: def.trainingHelperColumns,
  };
}

/** A fitted transformer: raw feature rows in, model-ready rows out, always in the same column order. */
export class Transformer {
  readonly featureNames: string[];
  private readonly steps: { feature: string; t: Transformation | undefined; state: TransformationState }[];

  constructor(layout: Layout, def: FeatureViewDefinition, registry: TransformationRegistry, state: Record<string, TransformationState>) {
    this.steps = layout.features.map((feature) => {
      const name = def.transformations[feature];
      return { feature, t: name === undefined ? undefined : registry.get(name), state: state[feature] ?? {} };
    });
    this.featureNames = this.steps.flatMap((s) => (s.t ? s.t.outputs(s.feature, s.state) : [s.feature]));
  }

  /** Fits each transformation on the values of the (training) rows; `valuesOf` gives a column's values. */
  static fit(
    def: FeatureViewDefinition,
    registry: TransformationRegistry,
    valuesOf: (feature: string) => readonly FeatureValue[],
  ): Record<string, TransformationState> {
    const state: Record<string, TransformationState> = {};
    for (const [feature, name] of Object.entries(def.transformations)) state[feature] = registry.get(name).fit(valuesOf(feature));
    return state;
  }

  /** Transforms rows `index` of columnar data; each input column is looked up once, not once per value. */
  transformColumns(column: (name: string) => readonly unknown[] | undefined, index: readonly number[]): Row[] {
    const inputs = this.steps.map((s) => column(s.feature));
    return index.map((i) => this.transformWith((_, k) => (inputs[k]?.[i] ?? null) as FeatureValue));
  }

  /** The same as columns: untransformed features are the read columns themselves, transformed ones Float64Arrays. */
  transformToFrame(column: (name: string) => StoredColumn | undefined, index: readonly number[]): Frame {
    const columns: Record<string, FrameColumn> = {};
    for (const s of this.steps) {
      const input = column(s.feature);
      if (!s.t) {
        columns[s.feature] = gather(input, index);
        continue;
      }
      const names = s.t.outputs(s.feature, s.state);
      const outs = names.map(() => new Float64Array(index.length));
      for (let k = 0; k < index.length; k++) {
        const values = s.t.apply(valueAt(input, index[k]!), s.state);
        for (let j = 0; j < outs.length; j++) outs[j]![k] = values[j] ?? NaN;
      }
      names.forEach((n, j) => (columns[n] = outs[j]!));
    }
    return { names: [...this.featureNames], rowCount: index.length, columns };
  }

  transform(row: Readonly<Row>): Row {
    return this.transformWith((name) => row[name] ?? null);
  }

  /** The transformed features of the row whose raw values `get` returns (by column name, or step index). */
  transformWith(get: (name: string, step: number) => FeatureValue): Row {
    const out: Row = {};
    for (let k = 0; k < this.steps.length; k++) {
      const s = this.steps[k]!;
      const v = get(s.feature, k);
      if (!s.t) {
        out[s.feature] = v;
        continue;
      }
      const names = s.t.outputs(s.feature, s.state);
      const values = s.t.apply(v, s.state);
      names.forEach((n, i) => (out[n] = values[i] ?? null));
    }
    return out;
  }
}

export function pick(row: Readonly<Row>, columns: readonly string[]): Row {
  const out: Row = {};
  for (const c of columns) out[c] = row[c] ?? null;
  return out;
}
