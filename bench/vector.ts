// Benchmark: an embedding group of 100k 384-d vectors (hashing embeddings of generated sentences): recall, latency, build, upserts,
// against its floor: the same saved index searched through a bare hnswlib-node index.
import { seededRandom } from '../src/core/random.js';
import { HashingEmbedder } from '../src/embed/hashing.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { FeatureStore, type FeatureGroup } from '../src/store/index.js';
import { percentile, round, withScratchDir } from './common.js';

const CITIES = ['Beijing', 'Stockholm', 'Delhi', 'Lagos', 'Lima', 'Krakow', 'Seoul', 'Denver', 'Milan', 'Cairo', 'Jakarta', 'Santiago'];
const WEATHER = ['calm and foggy', 'windy from the north', 'rainy', 'hot and still', 'cold with an inversion', 'humid', 'clear and breezy', 'snowy'];
const LEVELS = ['good', 'moderate', 'unhealthy for sensitive groups', 'unhealthy', 'very unhealthy', 'hazardous'];
const ADVICE = ['run outside', 'keep windows closed', 'wear a mask', 'cycle to work', 'stay indoors', 'open the windows'];

/** Sentences with shared vocabulary and structure: neighbours are meaningful, not uniform noise. */
function sentences(n: number, seed: number): string[] {
  const random = seededRandom(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(random() * a.length)]!;
  return Array.from(
    { length: n },
    (_, i) =>
      `Day ${i % 365} in ${pick(CITIES)}: ${pick(WEATHER)}, PM2.5 ${Math.round(random() * 200)} µg/m³, air quality ${pick(LEVELS)}; advice: ${pick(ADVICE)} and ${pick(ADVICE)}.`,
  );
}

const EF = 80;

function bruteTop(matrix: Float32Array, dim: number, q: Float32Array, k: number): number[] {
  const n = matrix.length / dim;
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * dim;
    for (let j = 0; j < dim; j++) s += matrix[base + j]! * q[j]!;
    scores[i] = s;
  }
  return Array.from(scores.keys())
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, k);
}

/** The floor: the index file airq saved, loaded into a bare hnswlib-node index with the same ef (queries are plain arrays, as it takes). */
function rawHnswlib(dir: string, fg: FeatureGroup, dim: number) {
  fg.saveIndexes();
  const vectors = join(dir, 'vectors');
  const sidecar = JSON.parse(readFileSync(join(vectors, 'bench_docs_v1_emb.json'), 'utf8')) as { indexFile: string; keys: (number[] | null)[] };
  const index = new hnswlib.HierarchicalNSW('cosine', dim);
  index.readIndexSync(join(vectors, sidecar.indexFile));
  index.setEf(EF);
  return { index, keys: sidecar.keys };
}

export async function benchVector(options: { n?: number; queries?: number; log?: (s: string) => void } = {}) {
  const n = options.n ?? 100_000;
  const queries = options.queries ?? 200;
  const log = options.log ?? (() => undefined);
  const embedder = new HashingEmbedder();
  const dim = embedder.dim;
  return withScratchDir(async (dir) => {
    const store = await FeatureStore.open({ dir });
    try {
      const fg = await store.getOrCreateFeatureGroup({
        name: 'bench_docs',
        primaryKey: 'id',
        schema: [
          { name: 'id', type: 'int' },
          { name: 'emb', type: 'vector', dim },
        ],
        embeddingIndex: [{ column: 'emb', model: embedder.id, ef: EF }],
      });
      const vectors = await embedder.embed(sentences(n, 1));
      const matrix = new Float32Array(n * dim);
      vectors.forEach((v, i) => matrix.set(v, i * dim));
      log(`embedded ${n} sentences; inserting`);
      const t0 = performance.now();
      for (let start = 0; start < n; start += 20_000) await fg.insert(vectors.slice(start, start + 20_000).map((emb, j) => ({ id: start + j, emb })));
      const insertSeconds = (performance.now() - t0) / 1000;
      log(`inserted in ${round(insertSeconds, 1)} s; building the index`);
      const t1 = performance.now();
      await fg.findNeighbors(vectors[0]!, { k: 1, keysOnly: true });
      const buildSeconds = (performance.now() - t1) / 1000;

      const qs = await embedder.embed(sentences(queries, 2));
      // Each query through airq, then through the bare index, back to back: both run with the same warm caches
      // (the exact scan for recall comes after, as it would evict them).
      const raw = rawHnswlib(dir, fg, dim);
      const [times, rawTimes, bruteTimes]: [number[], number[], number[]] = [[], [], []];
      const answers: number[][] = [];
      let same = 0;
      for (const q of qs) {
        const s = performance.now();
        const got = await fg.findNeighbors(q, { k: 10, keysOnly: true });
        times.push(performance.now() - s);
        const arr = Array.from(q);
        const r = performance.now();
        const bare = raw.index.searchKnn(arr, 10);
        rawTimes.push(performance.now() - r);
        answers.push(got.map((g) => g.key[0] as number));
        if (bare.neighbors.map((l) => raw.keys[l]![0]).join() === answers.at(-1)!.join()) same++;
      }
      let hits = 0;
      qs.forEach((q, i) => {
        const b = performance.now();
        const truth = bruteTop(matrix, dim, q, 10);
        bruteTimes.push(performance.now() - b);
        hits += truth.filter((t) => answers[i]!.includes(t)).length;
      });
      for (const t of [times, rawTimes, bruteTimes]) t.sort((a, b) => a - b);

      // Incremental upserts: 2,000 new rows in one commit, visible to the next query.
      const extra = await embedder.embed(sentences(2000, 3));
      const t2 = performance.now();
      await fg.insert(extra.map((emb, j) => ({ id: n + j, emb })));
      const [fresh] = await fg.findNeighbors(extra[1234]!, { k: 1, keysOnly: true });
      const upsertSeconds = (performance.now() - t2) / 1000;
      if (fresh?.key[0] !== n + 1234) throw new Error('an upserted vector was not found by the next query');
      return {
        n,
        dim,
        recall_at_10: round(hits / (queries * 10), 4),
        p50_ms: round(percentile(times, 50), 3),
        p99_ms: round(percentile(times, 99), 3),
        build_s: round(buildSeconds, 2),
        insert_s: round(insertSeconds, 2),
        upsert_per_s: Math.round(2000 / upsertSeconds),
        brute_p50_ms: round(percentile(bruteTimes, 50), 3),
        speedup_p50: round(percentile(bruteTimes, 50) / percentile(times, 50), 1),
        hnswlib_p50_ms: round(percentile(rawTimes, 50), 3),
        ratio_p50_to_hnswlib: round(percentile(times, 50) / percentile(rawTimes, 50), 2),
        hnswlib_same_results: round(same / qs.length, 3),
      };
    } finally {
      await store.close();
    }
  });
}
