// The eval gate: minimum scores from a thresholds file, compared with a run's overall scores.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../src/core/data-dir.js';
import { ValidationError } from '../src/core/errors.js';
import type { Summary } from './metrics.js';

/** The scores a threshold may name: rates in [0, 1], higher is better. */
export const GATED = [
  'tool_exact',
  'tool_f1',
  'args_exact',
  'abstain_acc',
  'ask_back_acc',
  'answer_includes',
  'grounded',
  'retrieval_recall_at_3',
  'retrieval_mrr',
] as const;
export type GatedScore = (typeof GATED)[number];

const Thresholds = z
  .object({
    $comment: z.string().optional(),
    min: z.partialRecord(z.enum(GATED), z.number().min(0).max(1)),
  })
  .strict();
export type Thresholds = z.infer<typeof Thresholds>;

export const defaultThresholdsFile = () => join(projectRoot(), 'evals', 'thresholds.json');

export function loadThresholds(file: string): Thresholds {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ValidationError(`cannot read the thresholds ${file}: ${(e as Error).message}`);
  }
  const r = Thresholds.safeParse(raw);
  if (!r.success) throw new ValidationError(`${file}: ${z.prettifyError(r.error).replace(/\n/g, '; ')} (allowed scores: ${GATED.join(', ')})`);
  return r.data;
}

/** A score of the run by its gate name; null when the run could not measure it. */
export function scoreOf(summary: Summary, score: GatedScore): number | null {
  if (score === 'retrieval_recall_at_3') return summary.retrieval?.recall_at_3 ?? null;
  if (score === 'retrieval_mrr') return summary.retrieval?.mrr ?? null;
  // A run of retrieval questions only has no agent scores to gate.
  return summary.cases === 0 ? null : summary[score];
}

export interface GateFailure {
  score: GatedScore;
  value: number;
  min: number;
}

/** Every score below its minimum; a score the run could not measure (no such cases) is not gated. */
export function gate(summary: Summary, thresholds: Thresholds): GateFailure[] {
  const failures: GateFailure[] = [];
  for (const score of GATED) {
    const min = thresholds.min[score];
    const value = scoreOf(summary, score);
    if (min === undefined || value === null) continue;
    if (value < min) failures.push({ score, value, min });
  }
  return failures;
}
