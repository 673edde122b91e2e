// What a feature group declares about its embedding columns: which column, its metric, and the model that made it.
import { z } from 'zod';

export const METRICS = ['cosine', 'l2', 'ip'] as const;
export type Metric = (typeof METRICS)[number];

export const EmbeddingIndexSpecSchema = z
  .object({
    /** A vector column of the group's schema. */
    column: z.string(),
    metric: z.enum(METRICS).default('cosine'),
    /** The embedding model id (name and revision). Text queries must use the same model. */
    model: z.string().max(300).optional(),
    /** The string columns the embedding was made from: a text query also ranks rows by their words there (hybrid search). */
    text: z.array(z.string().max(100)).min(1).max(20).optional(),
    /** HNSW graph degree and construction breadth. */
    m: z.number().int().min(4).max(64).default(16),
    // 100 rather than hnswlib's 200: half the build time, and recall@10 stays >= 0.99 on our benchmark.
    efConstruction: z.number().int().min(10).max(1000).default(100),
    /** Search breadth by default (raised to k when k is larger). */
    ef: z.number().int().min(1).max(5000).default(64),
  })
  .strict();
export type EmbeddingIndexSpec = z.output<typeof EmbeddingIndexSpecSchema>;
export type EmbeddingIndexSpecInput = z.input<typeof EmbeddingIndexSpecSchema>;
