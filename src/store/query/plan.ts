// Plans a query: the tree of joined groups (parents, join keys, prefixes) and its output columns.
import { ValidationError } from '../../core/errors.js';
import { ident } from '../db/values.js';
import type { FeatureGroupMeta, FeatureType } from '../types.js';
import type { OutputColumn, Query } from './query.js';

export interface Node {
  query: Query;
  meta: FeatureGroupMeta;
  types: Map<string, FeatureType>;
  alias: string;
  parent: number;
  leftOn: string[];
  rightOn: string[];
  prefix: string;
  type: 'left' | 'inner';
}

export interface Output extends OutputColumn {
  expr: string;
  /** Index of the join node (in Plan.nodes) the column comes from. */
  node: number;
}

const label = (m: FeatureGroupMeta) => `${m.name} v${m.version}`;

function typesOf(meta: FeatureGroupMeta): Map<string, FeatureType> {
  if (meta.schema === null) {
    throw new ValidationError(`feature group ${label(meta)} has no schema yet (nothing was inserted), so it cannot be joined`);
  }
  return new Map(meta.schema.map((f) => [f.name, f.type]));
}

export function requireColumn(node: { meta: FeatureGroupMeta; types: Map<string, FeatureType> }, name: string, role: string): void {
  if (!node.types.has(name)) {
    throw new ValidationError(`${role} "${name}" is not a feature of ${label(node.meta)}; its features are: ${[...node.types.keys()].join(', ')}`, {
      column: name,
    });
  }
}

/** The root and every joined query (depth first), each knowing its parent and join keys. */
export function flatten(root: Query): Node[] {
  const nodes: Node[] = [];
  const visit = (query: Query, parent: number, join?: { leftOn?: readonly string[]; rightOn?: readonly string[]; prefix: string; type: 'left' | 'inner' }) => {
    const meta = query.source.meta();
    const types = parent < 0 && meta.schema === null ? new Map<string, FeatureType>() : typesOf(meta);
    const rightOn = [...(join?.rightOn ?? meta.primaryKey)];
    const leftOn = [...(join?.leftOn ?? meta.primaryKey)];
    const node: Node = { query, meta, types, alias: `p${nodes.length}`, parent, leftOn, rightOn, prefix: join?.prefix ?? '', type: join?.type ?? 'left' };
    if (parent >= 0) {
      for (const c of rightOn) requireColumn(node, c, 'join key');
      const p = nodes[parent]!;
      for (const c of leftOn) {
        if (!p.types.has(c)) {
          throw new ValidationError(`join of ${label(meta)}: the left side ${label(p.meta)} has no column "${c}"; pass on, or leftOn and rightOn`, {
            column: c,
          });
        }
      }
    }
    const index = nodes.push(node) - 1;
    for (const j of query.state.joins ?? []) {
      visit(j.query, index, { leftOn: j.leftOn, rightOn: j.rightOn, prefix: node.prefix + j.prefix, type: j.type });
    }
  };
  visit(root, -1);
  return nodes;
}

export function outputsOf(nodes: Node[], rootHasTime: boolean): Output[] {
  const outputs: Output[] = [];
  const seen = new Map<string, string>();
  for (const n of nodes) {
    const explicit = n.query.state.columns;
    const isRoot = n.parent < 0;
    const all = [...n.types.keys()].filter((c) => isRoot || (!n.rightOn.includes(c) && c !== n.meta.eventTime));
    for (const c of explicit ?? all) {
      requireColumn(n, c, 'selected column');
      const name = n.prefix + c;
      const other = seen.get(name);
      if (other !== undefined) {
        throw new ValidationError(
          `column "${name}" comes from both ${other} and ${label(n.meta)}; give the join a prefix (join(q, { prefix: '${n.meta.name}_' })) or select fewer columns`,
          { column: name },
        );
      }
      seen.set(name, label(n.meta));
      const col = `${n.alias}.${ident(c)}`;
      // A group's TTL bounds how old a joined feature may be, measured from the label's event time.
      const ttl = !isRoot && rootHasTime && n.meta.eventTime !== undefined && n.meta.ttl !== undefined;
      const expr = ttl ? `CASE WHEN ${n.alias}.__t >= p0.__t - to_seconds(${n.meta.ttl}) THEN ${col} END` : col;
      outputs.push({ name, type: n.types.get(c)!, featureGroup: n.meta.name, version: n.meta.version, column: c, expr, node: nodes.indexOf(n) });
    }
  }
  return outputs;
}

export interface Plan {
  nodes: Node[];
  outputs: Output[];
  rootHasTime: boolean;
}

/** The join tree of `root` (depth first, root at 0) and the columns its read returns. */
export function planQuery(root: Query): Plan {
  const nodes = flatten(root);
  const rootHasTime = nodes[0]!.meta.eventTime !== undefined;
  return { nodes, outputs: outputsOf(nodes, rootHasTime), rootHasTime };
}
