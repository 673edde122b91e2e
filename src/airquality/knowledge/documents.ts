// The knowledge base: docs/knowledge/*.md chunked and embedded into a `documents` group, re-embedding only what changed.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { projectRoot } from '../../core/data-dir.js';
import { ValidationError } from '../../core/errors.js';
import { chunkMarkdown, contextualText, type Embedder } from '../../embed/index.js';
import { col, type FeatureGroup, type FeatureGroupSpecInput, type FeatureStore, type Row } from '../../store/index.js';
import { f } from '../feature-groups.js';
import { expandQuery } from './thesaurus.js';

export const DOCUMENTS = 'documents';

export function knowledgeDir(): string {
  return join(projectRoot(), 'docs', 'knowledge');
}

function documentsSpec(embedder: Embedder, version: number): FeatureGroupSpecInput {
  return {
    name: DOCUMENTS,
    version,
    description: `Chunks of the knowledge base (docs/knowledge), embedded with ${embedder.id}.`,
    primaryKey: ['chunk_id'],
    schema: [
      f('chunk_id', 'string', 'Document id and chunk number, e.g. us-aqi-pm25#2.'),
      f('doc_id', 'string', 'The document (its file name without .md).'),
      f('title', 'string', 'The document title.'),
      f('heading_path', 'string', 'Headings above the chunk, joined with " > ".'),
      f('text', 'string', 'The chunk text.'),
      f('content_hash', 'string', 'SHA-256 of what was embedded (title, headings and text): unchanged chunks are not re-embedded.'),
      f('source', 'string', 'The file the chunk came from, relative to the project when it is inside it.'),
      f('added_at', 'timestamp', 'When this text of the chunk entered the store (UTC).'),
      { ...f('embedding', 'vector', `The embedding of title, headings and text, by ${embedder.id}.`), dim: embedder.dim },
    ],
    embeddingIndex: [{ column: 'embedding', metric: 'cosine', model: embedder.id, text: ['title', 'heading_path', 'text'] }],
  };
}

/**
 * The documents group for this embedder: the version whose index records the embedder's id, or a
 * new version. Vectors of two models never share an index; switching model re-embeds into a new version.
 */
export async function documentsGroup(store: FeatureStore, embedder: Embedder, options: { create?: boolean } = {}): Promise<FeatureGroup | undefined> {
  const versions = store
    .listFeatureGroups()
    .filter((g) => g.name === DOCUMENTS)
    .sort((a, b) => a.version - b.version);
  const matches = versions.filter(
    (g) => g.meta.embeddingIndex?.[0]?.model === embedder.id && g.meta.schema?.find((c) => c.name === 'embedding')?.dim === embedder.dim,
  );
  // Versions from before provenance (source, added_at) are read, but a write goes to a version that has it.
  const match = options.create ? matches.filter((g) => g.meta.schema?.some((c) => c.name === 'added_at')).at(-1) : matches.at(-1);
  if (match) return match;
  if (!options.create) return undefined;
  const next = Math.max(0, ...versions.map((g) => g.version)) + 1;
  return store.getOrCreateFeatureGroup(documentsSpec(embedder, next));
}

export interface EmbedDocumentsResult {
  embedder: string;
  group_version: number;
  documents: number;
  chunks: number;
  embedded: number;
  unchanged: number;
  deleted: number;
}

export async function embedDocuments(store: FeatureStore, embedder: Embedder, dir = knowledgeDir()): Promise<EmbedDocumentsResult> {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((x) => x.endsWith('.md'))
      .sort();
  } catch {
    throw new ValidationError(`cannot read the knowledge base folder ${dir}`);
  }
  const chunks = files.flatMap((file) => chunkMarkdown(basename(file, '.md'), readFileSync(join(dir, file), 'utf8')).map((c) => ({ ...c, file })));
  const fg = (await documentsGroup(store, embedder, { create: true }))!;
  const existing = new Map((await fg.select(['chunk_id', 'content_hash']).read()).map((r) => [r.chunk_id as string, r.content_hash as string]));
  const rows = chunks.map((c) => {
    const text = contextualText(c);
    return {
      chunk_id: `${c.docId}#${c.index}`,
      doc_id: c.docId,
      title: c.title,
      heading_path: c.headingPath.join(' > '),
      text: c.text,
      embedText: text,
      content_hash: createHash('sha256').update(text).digest('hex'),
      source: sourceOf(join(dir, c.file)),
    };
  });
  const changed = rows.filter((r) => existing.get(r.chunk_id) !== r.content_hash);
  const vectors = await embedder.embed(changed.map((r) => r.embedText));
  const gone = [...existing.keys()].filter((id) => !rows.some((r) => r.chunk_id === id));
  await store.transaction(async () => {
    const addedAt = new Date();
    if (changed.length > 0) await fg.insert(changed.map(({ embedText: _, ...r }, i) => ({ ...r, added_at: addedAt, embedding: vectors[i]! })));
    if (gone.length > 0) await fg.deleteRecords(gone.map((chunk_id) => ({ chunk_id })));
  });
  return {
    embedder: embedder.id,
    group_version: fg.version,
    documents: files.length,
    chunks: rows.length,
    embedded: changed.length,
    unchanged: rows.length - changed.length,
    deleted: gone.length,
  };
}

/** A file inside the project by its path from the project root (docs/knowledge/who-guidelines.md), else by its folder and name (never a full path). */
function sourceOf(file: string): string {
  const rel = relative(projectRoot(), resolve(file));
  return rel.startsWith('..') || isAbsolute(rel) ? `${basename(dirname(resolve(file)))}/${basename(file)}` : rel.split(sep).join('/');
}

export interface KnowledgeHit {
  chunk_id: string;
  title: string;
  heading_path: string;
  text: string;
  score: number;
}

/** The k chunks nearest to `query` (optionally within one document). */
export async function searchKnowledge(
  store: FeatureStore,
  embedder: Embedder,
  query: string,
  options: { k?: number; docId?: string } = {},
): Promise<KnowledgeHit[]> {
  const fg = await documentsGroup(store, embedder);
  if (!fg) throw new ValidationError(`the knowledge base has not been embedded with ${embedder.id} in this store; run \`airq embed\``);
  const hits = await fg.findNeighbors(expandQuery(query), { k: options.k ?? 5, embedder, filter: options.docId ? col('doc_id').eq(options.docId) : undefined });
  return hits.map((h) => ({ ...pick(h.row), score: h.score }));
}

function pick(r: Row): Omit<KnowledgeHit, 'score'> {
  return { chunk_id: r.chunk_id as string, title: r.title as string, heading_path: r.heading_path as string, text: r.text as string };
}
