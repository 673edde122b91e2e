// MCP resources: the data status, feature groups (schema, statistics, expectations), locations, model cards, and the knowledge base.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ResourceNotFoundError, ResourceTemplate, type McpServer, type Variables } from '@modelcontextprotocol/server';
import { errorMessage, NotFoundError, ValidationError } from '../core/errors.js';
import { knowledgeDir } from '../airquality/knowledge/documents.js';
import { HEALTH_FACTS, vetDocument } from '../airquality/knowledge/health-facts.js';
import { listLocations, resolveLocation } from '../airquality/services/locations.js';
import type { Moments } from '../airquality/services/moment.js';
import { dataStatus } from '../airquality/services/status.js';
import type { FeatureStore } from '../store/index.js';
import { completeFrom, completeLocation } from './completions.js';

const json = (uri: URL, value: unknown) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] });
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

/**
 * A template's read: variables percent-decoded ("Olympic%20Sports%20Center"), a query string refused, and every miss
 * (an unknown document, place, group, version or model) a resource-not-found error (-32602) with its message.
 */
function templateRead<T>(read: (uri: URL, vars: Record<string, string>) => T | Promise<T>) {
  return async (uri: URL, vars: Variables): Promise<T> => {
    if (uri.search !== '') throw new ResourceNotFoundError(uri.href, `${uri.href}: airq's resource URIs take no query string`);
    let decoded: Record<string, string>;
    try {
      decoded = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, decodeURIComponent(one(v))]));
    } catch {
      throw new ResourceNotFoundError(uri.href, `${uri.href} has a broken percent-encoding`);
    }
    try {
      return await read(uri, decoded);
    } catch (e) {
      if (e instanceof NotFoundError || e instanceof ValidationError) throw new ResourceNotFoundError(uri.href, errorMessage(e));
      throw e;
    }
  };
}

/** A version as a URI writes it: a whole number, else a clear miss. */
function versionOf(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new ValidationError(`version "${text}" is not a whole number`);
  return Number(text);
}

export function registerResources(server: McpServer, moments: Moments): void {
  /** Each read and completion uses the store of its moment (a new snapshot after each commit). */
  const use = <T>(fn: (store: FeatureStore) => T | Promise<T>): Promise<T> => moments(async ({ store }) => fn(store));
  const groupUri = (name: string, version: number) => `airq://feature-groups/${name}/${version}`;

  server.registerResource(
    'status',
    'airq://status',
    {
      title: 'Data status',
      description:
        'How fresh the store is: per place its source, last observation and latest forecast, what is stale; the served model; the last and next pipeline run.',
      mimeType: 'application/json',
    },
    (uri) => moments(async ({ store, today }) => json(uri, await dataStatus(store, today))),
  );

  server.registerResource(
    'health-facts',
    'airq://health-facts',
    {
      title: 'Health facts',
      description:
        "airq's canonical health facts: WHO guideline values (2021) with interim targets, and the US AQI categories with their PM2.5 ranges and advice. " +
        'State these, not retrieved text, and check answers against them.',
      mimeType: 'application/json',
    },
    (uri) => json(uri, HEALTH_FACTS),
  );

  server.registerResource(
    'feature-groups',
    'airq://feature-groups',
    { title: 'Feature groups', description: 'Every feature group with its version and description.', mimeType: 'application/json' },
    (uri) =>
      use((store) =>
        json(
          uri,
          store.listFeatureGroups().map((g) => ({ name: g.name, version: g.version, description: g.description, uri: groupUri(g.name, g.version) })),
        ),
      ),
  );

  server.registerResource(
    'feature-group',
    new ResourceTemplate('airq://feature-groups/{name}/{version}', {
      list: () =>
        use((store) => ({
          resources: store
            .listFeatureGroups()
            .map((g) => ({ uri: groupUri(g.name, g.version), name: `${g.name} v${g.version}`, mimeType: 'application/json' })),
        })),
      complete: {
        name: (typed) =>
          use((store) =>
            completeFrom(
              store.listFeatureGroups().map((g) => g.name),
              typed,
            ),
          ),
        version: (typed, ctx) =>
          use((store) =>
            completeFrom(
              store
                .listFeatureGroups()
                .filter((g) => ctx?.arguments?.name === undefined || g.name === ctx.arguments.name)
                .map((g) => String(g.version)),
              typed,
            ),
          ),
      },
    }),
    {
      title: 'A feature group',
      description: 'Schema with column descriptions, keys, expectations and statistics of a feature group version.',
      mimeType: 'application/json',
    },
    templateRead((uri, vars) =>
      use(async (store) => {
        const g = store.getFeatureGroup(vars.name!, versionOf(vars.version!));
        const statistics = g.meta.schema ? await g.computeStatistics() : null;
        // The SQL table name is an implementation detail, not part of what a client should rely on.
        const meta: Record<string, unknown> = { ...g.meta };
        delete meta.table;
        return json(uri, { ...meta, statistics });
      }),
    ),
  );

  server.registerResource(
    'location',
    new ResourceTemplate('airq://locations/{id}', {
      list: () =>
        use(async (store) => ({
          resources: (await listLocations(store)).map((l) => ({ uri: `airq://locations/${l.location_id}`, name: l.name, mimeType: 'application/json' })),
        })),
      complete: { id: (typed) => use((store) => completeLocation(store, typed)) },
    }),
    { title: 'A location', description: 'Where a location is, its time zone, aliases and data source.', mimeType: 'application/json' },
    templateRead((uri, vars) => use(async (store) => json(uri, await resolveLocation(store, vars.id!)))),
  );

  server.registerResource(
    'model',
    new ResourceTemplate('airq://models/{name}/{version}', {
      list: () =>
        use((store) => ({
          resources: store.registry
            .list()
            .map((m) => ({ uri: `airq://models/${m.name}/${m.version}`, name: `${m.name} v${m.version}`, mimeType: 'text/markdown' })),
        })),
      complete: {
        name: (typed) =>
          use((store) =>
            completeFrom(
              store.registry.list().map((m) => m.name),
              typed,
            ),
          ),
        version: (typed, ctx) =>
          use((store) =>
            completeFrom(
              store.registry
                .list()
                .filter((m) => ctx?.arguments?.name === undefined || m.name === ctx.arguments.name)
                .map((m) => String(m.version)),
              typed,
            ),
          ),
      },
    }),
    { title: 'A model card', description: 'A registered model version: metrics, features, training data and lineage.', mimeType: 'text/markdown' },
    templateRead((uri, vars) =>
      use(async (store) => {
        const m = store.registry.getModel(vars.name!, versionOf(vars.version!));
        return { contents: [{ uri: uri.href, mimeType: 'text/markdown' as const, text: await m.card() }] };
      }),
    ),
  );

  const docs = () =>
    readdirSync(knowledgeDir())
      .filter((f) => f.endsWith('.md'))
      .map((f) => basename(f, '.md'));
  server.registerResource(
    'doc',
    new ResourceTemplate('airq://docs/{doc}', {
      list: async () => ({ resources: docs().map((d) => ({ uri: `airq://docs/${d}`, name: d, mimeType: 'text/markdown' })) }),
      complete: { doc: (typed) => completeFrom(docs(), typed) },
    }),
    {
      title: 'A knowledge-base document',
      description:
        "One document of airq's knowledge base (PM2.5, the AQI, WHO guidelines, the forecasts, the data); sentences addressed to an assistant are removed, and claims against airq://health-facts are noted above it.",
      mimeType: 'text/markdown',
    },
    templateRead((uri, vars) => {
      const doc = vars.doc!;
      if (!docs().includes(doc)) throw new NotFoundError(`no document "${doc}"; documents: ${docs().join(', ')}`);
      const text = vetDocument(readFileSync(join(knowledgeDir(), `${doc}.md`), 'utf8'));
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown' as const, text }] };
    }),
  );
}
