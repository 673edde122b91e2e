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

/** A batch's options: the passed features may differ by entity (`perEntity[i]` for `entries[i]`, over the shared ones). */
export interface BatchVectorOptions extends VectorOptions {
  perEntity?: readonly (Readonly<Record<string, InputValue>> | undefined)[];
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

  /** One entity's vector: a lookup per joined group (the hot single-key path, without the batch's arrays). */
  async vector(entry: Readonly<Record<string, InputValue>>, options: VectorOptions = {}): Promise<FeatureVector> {
    this.checkKeys(entry);
    const rows: (Readonly<Row> | undefined)[] = [await this.groups[0]!.getOnline(entry)];
    if (rows[0] === undefined && !options.allowMissing) throw this.notFound(entry);
    for (const [i, n] of this.plan.nodes.entries()) {
      if (i === 0) continue;
      const key = this.joinKey(n, rows[n.parent]);
      rows.push(key === undefined ? undefined : await this.groups[i]!.getOnline(key));
    }
    return this.assemble(rows, options);
  }

  /** Vectors for many entities: one batched lookup per joined group (with Redis, one round trip each). */
  async vectors(entries: readonly Readonly<Record<string, InputValue>>[], options: VectorOptions = {}): Promise<FeatureVector[]> {
    return (await this.lookup(entries, options, options.allowMissing ? 'nulls' : 'throw')) as FeatureVector[];
  }

  /** Like vectors, but an entity with no online row is undefined (Feast's NOT_FOUND), and passed features may differ by entity. */
  find(entries: readonly Readonly<Record<string, InputValue>>[], options: BatchVectorOptions = {}): Promise<(FeatureVector | undefined)[]> {
    return this.lookup(entries, options, 'undefined');
  }

  private async lookup(
    entries: readonly Readonly<Record<string, InputValue>>[],
    options: BatchVectorOptions,
    missingAs: 'throw' | 'nulls' | 'undefined',
  ): Promise<(FeatureVector | undefined)[]> {
    for (const entry of entries) this.checkKeys(entry);
    // rows[node][entity]: each joined group's row for each entity, looked up level by level.
    const rows: (Readonly<Row> | undefined)[][] = [await this.groups[0]!.getOnlineBatch(entries)];
    if (missingAs === 'throw') {
      const missing = rows[0]!.findIndex((r) => r === undefined);
      if (missing >= 0) throw this.notFound(entries[missing]!);
    }
    for (const [i, n] of this.plan.nodes.entries()) {
      if (i === 0) continue;
      const keys = rows[n.parent]!.map((parent) => this.joinKey(n, parent));
      const wanted = keys.flatMap((k, e) => (k === undefined ? [] : [{ k, e }]));
      const found = await this.groups[i]!.getOnlineBatch(wanted.map((w) => w.k));
      const level: (Readonly<Row> | undefined)[] = entries.map(() => undefined);
      wanted.forEach((w, j) => (level[w.e] = found[j]));
      rows.push(level);
    }
    return entries.map((_, e) => {
      if (missingAs === 'undefined' && rows[0]![e] === undefined) return undefined;
      const passed = options.perEntity?.[e];
      const own = passed === undefined ? options : { ...options, passedFeatures: { ...options.passedFeatures, ...passed } };
      return this.assemble(
        rows.map((r) => r[e]),
        own,
      );
    });
  }

  private checkKeys(entry: Readonly<Record<string, InputValue>>): void {
    const pk = this.plan.nodes[0]!.meta.primaryKey;
    const missingKeys = pk.filter((k) => entry[k] === undefined || entry[k] === null);
    if (missingKeys.length > 0) throw new ValidationError(`${this.label}: the serving key needs ${pk.join(', ')}; missing ${missingKeys.join(', ')}`);
  }

  private notFound(entry: Readonly<Record<string, InputValue>>): NotFoundError {
    const root = this.plan.nodes[0]!;
    return new NotFoundError(`${this.label}: no online row for ${root.meta.primaryKey.map((k) => `${k}=${String(entry[k])}`).join(', ')} in ${root.meta.name}`);
  }

  /** The key of a joined group's row, from its parent's row (undefined when the parent is missing or a key value is null). */
  private joinKey(n: Plan['nodes'][number], parent: Readonly<Row> | undefined): Record<string, InputValue> | undefined {
    if (parent === undefined) return undefined;
    const key: Record<string, InputValue> = {};
    n.rightOn.forEach((r, j) => (key[r] = parent[n.leftOn[j]!] ?? null));
    return Object.values(key).some((v) => v === null) ? undefined : key;
  }

  /** One entity's vector from its rows in each joined group, the passed features, and the transformations. */
  private assemble(rows: readonly (Readonly<Row> | undefined)[], options: VectorOptions): FeatureVector {
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
