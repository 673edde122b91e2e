// Compiles a Query (with nested point-in-time joins) into one DuckDB statement with bound parameters.
import { resolveCommitRef, type CommitRef } from '../commit-log.js';
import type { Params } from '../db/database.js';
import { ident } from '../db/values.js';
import { compileFilter } from './filter.js';
import { planQuery, requireColumn, type Node } from './plan.js';
import type { OutputColumn, Query } from './query.js';
import { snapshotCondition, type Snapshot } from './snapshot.js';

function cte(n: Node, nodes: Node[], snapshot: Snapshot, rootHasTime: boolean, params: Params): string {
  const needed = new Set<string>([...(n.query.state.columns ?? n.types.keys())]);
  for (const c of n.rightOn) needed.add(c);
  for (const child of nodes) if (child.parent === nodes.indexOf(n)) for (const c of child.leftOn) needed.add(c);
  if (n.parent < 0) for (const c of n.meta.primaryKey) needed.add(c);
  const et = n.meta.eventTime;
  if (et !== undefined) needed.add(et);
  const cols = [...needed].filter((c) => n.types.has(c)).map(ident);
  if (et !== undefined) cols.push(`CAST(${ident(et)} AS TIMESTAMP) AS __t`);
  const where = [snapshotCondition(snapshot)];
  // A joined query's own filter applies to its rows before the join.
  if (n.parent >= 0 && n.query.state.filter) {
    where.push(
      compileFilter(
        n.query.state.filter,
        (name) => {
          requireColumn(n, name, 'filter column');
          return { sql: ident(name), type: n.types.get(name)! };
        },
        params,
      ),
    );
  }
  let sql = `SELECT ${cols.join(', ')} FROM ${ident(n.meta.table)} WHERE ${where.join(' AND ')}`;
  if (n.parent >= 0 && !(rootHasTime && et !== undefined)) {
    // No label time to compare with: join the latest row per key (as the online store would serve).
    const order = et !== undefined ? `${ident(et)} DESC` : n.meta.primaryKey.map(ident).join(', ');
    sql += ` QUALIFY row_number() OVER (PARTITION BY ${n.rightOn.map(ident).join(', ')} ORDER BY ${order}) = 1`;
  }
  return `${n.alias} AS (${sql})`;
}

async function snapshotOf(asOf: CommitRef | undefined, excludeUntil: CommitRef | undefined, q: Query): Promise<Snapshot> {
  const s: Snapshot = {};
  if (asOf !== undefined) s.asOf = await resolveCommitRef(q.source.db, asOf);
  if (excludeUntil !== undefined) s.after = await resolveCommitRef(q.source.db, excludeUntil);
  return s;
}

export interface Compiled {
  sql: string;
  params: Params;
  columns: OutputColumn[];
}

/**
 * SQL for the query; undefined when its top-level group has no table yet (no rows). `only` keeps just those output
 * columns in the SELECT list (a large read need not carry keys it will not use); the order stays the query's.
 */
export async function compileQuery(root: Query, mode: 'rows' | 'count', only?: ReadonlySet<string>): Promise<Compiled | undefined> {
  if (root.source.meta().schema === null) return undefined;
  const { nodes, outputs, rootHasTime } = planQuery(root);
  const rootNode = nodes[0]!;
  const params: Params = [];
  const ctes: string[] = [];
  for (const n of nodes) {
    const isRoot = n.parent < 0;
    const snapshot = await snapshotOf(n.query.state.asOf ?? root.state.asOf, isRoot ? root.state.excludeUntil : undefined, root);
    ctes.push(cte(n, nodes, snapshot, rootHasTime, params));
  }
  const byName = new Map(outputs.map((o) => [o.name, o]));
  const resolve = (name: string) => {
    const o = byName.get(name);
    if (o) return { sql: o.expr, type: o.type };
    requireColumn(rootNode, name, 'column');
    return { sql: `p0.${ident(name)}`, type: rootNode.types.get(name)! };
  };
  let from = 'p0';
  for (const n of nodes.slice(1)) {
    const on = n.leftOn.map((l, i) => `${nodes[n.parent]!.alias}.${ident(l)} = ${n.alias}.${ident(n.rightOn[i]!)}`);
    if (rootHasTime && n.meta.eventTime !== undefined) {
      from += ` ${n.type === 'inner' ? 'ASOF JOIN' : 'ASOF LEFT JOIN'} ${n.alias} ON ${[...on, `p0.__t >= ${n.alias}.__t`].join(' AND ')}`;
    } else {
      from += ` ${n.type === 'inner' ? 'JOIN' : 'LEFT JOIN'} ${n.alias} ON ${on.join(' AND ')}`;
    }
  }
  const where = root.state.filter ? ` WHERE ${compileFilter(root.state.filter, resolve, params)}` : '';
  const head = `WITH ${ctes.join(', ')} `;
  const columns = outputs.map(({ expr: _expr, node: _node, ...c }) => c);
  if (mode === 'count') return { sql: `${head}SELECT count(*) AS n FROM ${from}${where}`, params, columns };
  const order = root.state.orderBy
    ? root.state.orderBy.map((o) => `${resolve(o.column).sql}${o.descending ? ' DESC' : ''}`)
    : [...rootNode.meta.primaryKey, ...(rootHasTime ? [rootNode.meta.eventTime!] : [])].map((c) => `p0.${ident(c)}`);
  const limit = root.state.limit === undefined ? '' : ` LIMIT ${root.state.limit}`;
  const select = outputs
    .filter((o) => only === undefined || only.has(o.name))
    .map((o) => `${o.expr} AS ${ident(o.name)}`)
    .join(', ');
  return { sql: `${head}SELECT ${select} FROM ${from}${where} ORDER BY ${order.join(', ')}${limit}`, params, columns };
}
