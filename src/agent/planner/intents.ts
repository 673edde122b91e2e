// Which tool a question wants: the nearest example question per intent, by embedding similarity, with places and dates masked.
import { z } from 'zod';
import type { Embedder } from '../../embed/index.js';
import { readPromptFile } from '../prompt-files.js';

export type Intent =
  | 'forecast'
  | 'best_day'
  | 'history'
  | 'similar_days'
  | 'explain'
  | 'knowledge'
  | 'feature_vector'
  | 'list_locations'
  | 'list_feature_groups'
  | 'data_status'
  /** Requests for something else (a restaurant, a reminder, a joke): the nearest example being one of these declines. */
  | 'off_topic';

const IntentsFile = z.record(z.string(), z.union([z.string(), z.object({ tool: z.string().optional(), examples: z.array(z.string()).min(1) })]));

export interface IntentScore {
  intent: Intent;
  score: number;
  example: string;
}

interface Example {
  intent: Intent;
  text: string;
  vector: Float32Array;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export class IntentClassifier {
  private constructor(
    private readonly embedder: Embedder,
    private readonly examples: Example[],
  ) {}

  static async create(embedder: Embedder, file = 'planner-intents.json'): Promise<IntentClassifier> {
    const parsed = IntentsFile.parse(JSON.parse(readPromptFile(file)));
    const list: { intent: Intent; text: string }[] = [];
    for (const [intent, v] of Object.entries(parsed)) {
      if (typeof v === 'string') continue; // "$comment"
      for (const text of v.examples) list.push({ intent: intent as Intent, text });
    }
    const vectors = await embedder.embed(list.map((e) => e.text));
    return new IntentClassifier(
      embedder,
      list.map((e, i) => ({ ...e, vector: vectors[i]! })),
    );
  }

  /** Every intent's best score for a masked question, best first. */
  async rank(masked: string): Promise<IntentScore[]> {
    const [q] = await this.embedder.embed([masked]);
    const best = new Map<Intent, IntentScore>();
    for (const e of this.examples) {
      const score = dot(q!, e.vector);
      const seen = best.get(e.intent);
      if (!seen || score > seen.score) best.set(e.intent, { intent: e.intent, score, example: e.text });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  }
}
