// The planner's vocabulary: the regular expressions of prompts/planner-vocabulary.json, each with the questions it exists for.
import { z } from 'zod';
import { readPromptFile } from '../prompt-files.js';

const Rule = z
  .object({
    what: z.string().min(1),
    pattern: z.string().min(1),
    /** RegExp flags; default "i". */
    flags: z
      .string()
      .regex(/^[imsu]*$/)
      .optional(),
    cases: z.array(z.string()).min(1),
    not: z.array(z.string()).default([]),
  })
  .strict();
const VocabularyFile = z.object({ $comment: z.string().optional(), rules: z.record(z.string(), Rule) }).strict();

export const RULE_NAMES = [
  'domain',
  'who',
  'machine',
  'why',
  'similar',
  'how_many',
  'all_stations',
  'all_for_similar',
  'follow_up',
  'back_reference',
  'past',
  'future',
  'best',
  'worst',
  'weather',
  'air_words',
  'status',
  'freshness',
  'general',
  'compare',
  'daily',
  'places_word',
  'store_word',
  'view_name',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export interface VocabularyRule {
  what: string;
  re: RegExp;
  cases: string[];
  not: string[];
}

let loaded: Record<RuleName, VocabularyRule> | undefined;

/** Every rule, compiled once; a rule the code names but the file lacks (or a bad pattern) fails at the first question. */
export function vocabulary(file = 'planner-vocabulary.json'): Record<RuleName, VocabularyRule> {
  if (loaded && file === 'planner-vocabulary.json') return loaded;
  const parsed = VocabularyFile.parse(JSON.parse(readPromptFile(file)));
  const missing = RULE_NAMES.filter((n) => !parsed.rules[n]);
  if (missing.length > 0) throw new Error(`prompts/${file} lacks the rules ${missing.join(', ')}`);
  const rules = Object.fromEntries(
    RULE_NAMES.map((n) => {
      const r = parsed.rules[n]!;
      return [n, { what: r.what, re: new RegExp(r.pattern, r.flags ?? 'i'), cases: r.cases, not: r.not }];
    }),
  ) as Record<RuleName, VocabularyRule>;
  if (file === 'planner-vocabulary.json') loaded = rules;
  return rules;
}

/** Whether the rule matches the text. */
export const has = (rule: RuleName, text: string): boolean => vocabulary()[rule].re.test(text);

/** The rule's first match, with its groups. */
export const match = (rule: RuleName, text: string): RegExpExecArray | null => vocabulary()[rule].re.exec(text);
