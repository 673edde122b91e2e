// Online feature vectors: online lookups in every joined group, passed features, transformations, training order.
import { NotFoundError, ValidationError } from '../../core/errors.js';
import type { FeatureGroup } from '../feature-group.js';
import { planQuery, type Plan } from '../query/plan.js';
import type { FeatureValue, InputValue, Row } from '../types.js';
import type { Transformer } from './layout.js';

export interface VectorOptions {
  /** Values that override (or stand in for) stored features, by output column name. */
  passedFeatures?: Readonly<Record<string, InputValue>>;
  /** 'object' (default): feature name -> value; 'array': values in training order. */
  returnType?: 'object' | 'array';
  /** Return a vector of nulls (transformed) for an unknown entity instead of throwing NotFoundError. */
  allowMissing?: boolean;
}

export type FeatureVector = Row | FeatureValue[];

export class OnlineServer {
  private constructor(
    private readonly plan: Plan,
    private readonly groups: FeatureGroup[],
    private readonly transformer: Transformer,
    private readonly label: string,
  ) {}

  /** Checks that every group can serve online, and loads their online tables. */
  static async init(
    query: Parameters<typeof planQuery>[0],
    groupOf: (name: string, version: number) => FeatureGroup,
    transformer: Transformer,
    label: string,
  ): Promise<OnlineServer> {
    const plan = planQuery(query);
    const groups = plan.nodes.map((n) => groupOf(n.meta.name, n.meta.version));
    for (const [i, n] of plan.nodes.entries()) {
      if (!n.meta.onlineEnabled) {
        throw new ValidationError(`${label}: feature group ${n.meta.name} v${n.meta.version} is not online-enabled, so the view cannot serve online`);
      }
      if (i > 0 && [...n.rightOn].sort().join() !== [...n.meta.primaryKey].sort().join()) {
        throw new ValidationError(`${label}: online serving needs joins on the primary key of ${n.meta.name}; it joins on ${n.rightOn.join(', ')}`);
      }
    }
    await Promise.all(groups.map((g) => g.loadOnline()));
    return new OnlineServer(plan, groups, transformer, label);
  }

  get featureNames(): string[] {
    return this.transformer.featureNames;
  }

  async vector(entry: Readonly<Record<string, InputValue>>, options: VectorOptions = {}): Promise<FeatureVector> {
    const root = this.plan.nodes[0]!;
    const missingKeys = root.meta.primaryKey.filter((k) => entry[k] === undefined || entry[k] === null);
    if (missingKeys.length > 0) {
      throw new ValidationError(`${this.label}: the serving key needs ${root.meta.primaryKey.join(', ')}; missing ${missingKeys.join(', ')}`);
    }
    const rows: (Readonly<Row> | undefined)[] = [await this.groups[0]!.getOnline(entry)];
    if (rows[0] === undefined && !options.allowMissing) {
      throw new NotFoundError(
        `${this.label}: no online row for ${root.meta.primaryKey.map((k) => `${k}=${String(entry[k])}`).join(', ')} in ${root.meta.name}`,
      );
    }
    for (const n of this.plan.nodes.slice(1)) {
      const parent = rows[n.parent];
      if (parent === undefined) {
        rows.push(undefined);
        continue;
      }
      const key: Record<string, InputValue> = {};
      n.rightOn.forEach((r, i) => (key[r] = parent[n.leftOn[i]!] ?? null));
      rows.push(Object.values(key).some((v) => v === null) ? undefined : await this.groups[this.plan.nodes.indexOf(n)]!.getOnline(key));
    }
    const raw: Row = {};
    for (const o of this.plan.outputs) raw[o.name] = rows[o.node]?.[o.column] ?? null;
    for (const [name, value] of Object.entries(options.passedFeatures ?? {})) {
      if (!(name in raw)) throw new ValidationError(`${this.label}: passed feature "${name}" is not a column of the view`);
      raw[name] =
        value instanceof Date
          ? value.toISOString()
          : typeof value === 'bigint'
            ? Number(value)
            : value instanceof Float32Array || value instanceof Float64Array
              ? Array.from(value)
              : (value ?? null);
    }
    const features = this.transformer.transform(raw);
    return options.returnType === 'array' ? this.transformer.featureNames.map((f) => features[f] ?? null) : features;
  }
}
