// Lineage: the graph source -> feature group -> feature view -> training dataset -> model, around one node.
import { NotFoundError } from '../core/errors.js';
import type { QueryJson } from './query/query-json.js';
import type { FeatureGroup } from './feature-group.js';
import type { ModelMeta } from './registry/schema.js';
import type { FeatureView } from './views/feature-view.js';

export type LineageKind = 'source' | 'featureGroup' | 'featureView' | 'trainingDataset' | 'model';

export interface LineageNode {
  id: string;
  kind: LineageKind;
  name: string;
  version?: number;
}

export interface LineageGraph {
  nodes: LineageNode[];
  edges: { from: string; to: string }[];
}

/** What the store knows, reduced to what lineage needs. */
export interface LineageFacts {
  groups: { name: string; version: number; source: string | undefined }[];
  views: { name: string; version: number; query: QueryJson; trainingDatasets: number[] }[];
  models: { name: string; version: number; featureView: { name: string; version: number }; trainingDatasetVersion: number }[];
}

export const lineageId = {
  source: (name: string) => `source:${name}`,
  featureGroup: (name: string, version: number) => `featureGroup:${name}@${version}`,
  featureView: (name: string, version: number) => `featureView:${name}@${version}`,
  trainingDataset: (view: string, viewVersion: number, version: number) => `trainingDataset:${view}@${viewVersion}/${version}`,
  model: (name: string, version: number) => `model:${name}@${version}`,
};

function groupsOfQuery(q: QueryJson): { name: string; version: number }[] {
  return [q.featureGroup, ...(q.joins ?? []).flatMap((j) => groupsOfQuery(j.query))];
}

function fullGraph(f: LineageFacts): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  const edges: { from: string; to: string }[] = [];
  const add = (n: LineageNode) => nodes.set(n.id, n);
  for (const g of f.groups) {
    const id = lineageId.featureGroup(g.name, g.version);
    add({ id, kind: 'featureGroup', name: g.name, version: g.version });
    if (g.source) {
      add({ id: lineageId.source(g.source), kind: 'source', name: g.source });
      edges.push({ from: lineageId.source(g.source), to: id });
    }
  }
  for (const v of f.views) {
    const id = lineageId.featureView(v.name, v.version);
    add({ id, kind: 'featureView', name: v.name, version: v.version });
    for (const g of groupsOfQuery(v.query)) edges.push({ from: lineageId.featureGroup(g.name, g.version), to: id });
    for (const td of v.trainingDatasets) {
      const tdId = lineageId.trainingDataset(v.name, v.version, td);
      add({ id: tdId, kind: 'trainingDataset', name: `${v.name} v${v.version}`, version: td });
      edges.push({ from: id, to: tdId });
    }
  }
  for (const m of f.models) {
    const id = lineageId.model(m.name, m.version);
    add({ id, kind: 'model', name: m.name, version: m.version });
    edges.push({ from: lineageId.trainingDataset(m.featureView.name, m.featureView.version, m.trainingDatasetVersion), to: id });
  }
  return { nodes: [...nodes.values()], edges: edges.filter((e) => nodes.has(e.from) && nodes.has(e.to)) };
}

/** The facts lineage is drawn from: every group, view (with its training dataset versions) and model. */
export async function collectLineageFacts(groups: FeatureGroup[], views: FeatureView[], models: readonly ModelMeta[]): Promise<LineageFacts> {
  return {
    groups: groups.map((g) => ({ name: g.name, version: g.version, source: g.meta.source })),
    views: await Promise.all(
      views.map(async (v) => ({
        name: v.name,
        version: v.version,
        query: v.definition.query,
        trainingDatasets: (await v.trainingDatasets()).map((t) => t.version),
      })),
    ),
    models: models.map((m) => ({ name: m.name, version: m.version, featureView: m.featureView, trainingDatasetVersion: m.trainingDatasetVersion })),
  };
}

/** Everything upstream and downstream of `id` (not siblings: another model of the same view is not shown for a model). */
export function lineageAround(facts: LineageFacts, id: string): LineageGraph {
  const g = fullGraph(facts);
  if (!g.nodes.some((n) => n.id === id)) throw new NotFoundError(`nothing named ${id} in this store's lineage`);
  const reach = (start: string, next: (e: { from: string; to: string }) => [string, string]) => {
    const seen = new Set([start]);
    const stack = [start];
    while (stack.length) {
      const cur = stack.pop()!;
      for (const e of g.edges) {
        const [a, b] = next(e);
        if (a === cur && !seen.has(b)) {
          seen.add(b);
          stack.push(b);
        }
      }
    }
    return seen;
  };
  const keep = new Set([...reach(id, (e) => [e.to, e.from]), ...reach(id, (e) => [e.from, e.to])]);
  return { nodes: g.nodes.filter((n) => keep.has(n.id)), edges: g.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}

/** One line per edge, for model cards and the CLI: "source:x -> featureGroup:y@1". */
export function lineageLines(g: LineageGraph): string[] {
  return g.edges.map((e) => `${e.from} -> ${e.to}`);
}
