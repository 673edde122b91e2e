// A query as JSON, so a feature view can store its query and rebuild it later by group name and version.
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import { FilterSchema, type Filter } from './filter.js';
import type { Query } from './query.js';

export interface QueryJson {
  featureGroup: { name: string; version: number };
  columns?: string[];
  filter?: Filter;
  joins?: { query: QueryJson; leftOn?: string[]; rightOn?: string[]; prefix: string; type: 'left' | 'inner' }[];
}

export const QueryJsonSchema: z.ZodType<QueryJson> = z.lazy(() =>
  z
    .object({
      featureGroup: z.object({ name: z.string(), version: z.number().int().min(1) }).strict(),
      columns: z.array(z.string()).optional(),
      filter: FilterSchema.optional(),
      joins: z
        .array(
          z
            .object({
              query: QueryJsonSchema,
              leftOn: z.array(z.string()).optional(),
              rightOn: z.array(z.string()).optional(),
              prefix: z.string(),
              type: z.enum(['left', 'inner']),
            })
            .strict(),
        )
        .optional(),
    })
    .strict(),
);

/** The stored form of a view's query; time travel, order and limit belong to reads, not to a view. */
export function queryToJson(q: Query): QueryJson {
  const s = q.state;
  if (s.asOf !== undefined || s.excludeUntil !== undefined || s.limit !== undefined || s.orderBy !== undefined) {
    throw new ValidationError("a feature view's query cannot carry asOf, limit or orderBy; apply those when reading");
  }
  const meta = q.source.meta();
  const out: QueryJson = { featureGroup: { name: meta.name, version: meta.version } };
  if (s.columns) out.columns = [...s.columns];
  if (s.filter) out.filter = s.filter;
  if (s.joins && s.joins.length > 0) {
    out.joins = s.joins.map((j) => ({
      query: queryToJson(j.query),
      ...(j.leftOn ? { leftOn: [...j.leftOn] } : {}),
      ...(j.rightOn ? { rightOn: [...j.rightOn] } : {}),
      prefix: j.prefix,
      type: j.type,
    }));
  }
  return out;
}

/** Rebuilds a query; `selectAll` returns a fresh query over the named group version. */
export function queryFromJson(json: QueryJson, selectAll: (name: string, version: number) => Query): Query {
  let q = selectAll(json.featureGroup.name, json.featureGroup.version);
  if (json.columns) q = q.select(json.columns);
  if (json.filter) q = q.filter(json.filter);
  for (const j of json.joins ?? []) {
    const other = queryFromJson(j.query, selectAll);
    q = q.join(other, j.leftOn ? { leftOn: j.leftOn, rightOn: j.rightOn, prefix: j.prefix, type: j.type } : { prefix: j.prefix, type: j.type });
  }
  return q;
}
