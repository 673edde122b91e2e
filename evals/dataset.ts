// Eval datasets: JSONL cases (question, today, category, what is expected), validated line by line with zod.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../src/core/data-dir.js';
import { ValidationError } from '../src/core/errors.js';
import { isIsoDate } from '../src/core/dates.js';

/** An argument's acceptable values: null means "may be left out", "*" means any value. */
const Acceptable = z.array(z.unknown()).min(1);

const ExpectedCall = z
  .object({
    name: z.string().min(1),
    args: z.record(z.string(), Acceptable).default({}),
  })
  .strict();

export const EvalCase = z
  .object({
    id: z.string().min(1).max(200),
    question: z.string().min(1).max(10_000),
    today: z.string().refine(isIsoDate, 'a date written YYYY-MM-DD'),
    category: z.string().min(1).max(100),
    expect: z
      .object({
        tools: z.array(ExpectedCall).optional(),
        ordered: z.boolean().default(false),
        no_tool: z.boolean().default(false),
        ask_back: z.boolean().default(false),
        answer_includes: z.array(z.string()).default([]),
        answer_excludes: z.array(z.string()).default([]),
        grounded: z.boolean().default(true),
      })
      .strict()
      .refine((e) => !(e.no_tool || e.ask_back) || (e.tools ?? []).length === 0, 'no_tool and ask_back cases expect no tool calls'),
  })
  .strict();
export type EvalCase = z.infer<typeof EvalCase>;
export type ExpectedCall = z.infer<typeof ExpectedCall>;

export function datasetsDir(): string {
  return join(projectRoot(), 'evals', 'datasets');
}

/** Every *.jsonl of a folder in name order. */
export function jsonlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f));
}

/** The bundled datasets, every evals/datasets/*.jsonl in name order. */
export const bundledDatasets = (): string[] => jsonlFiles(datasetsDir());

/** Reads one JSONL file of `schema` cases; every bad line is reported with its number. */
export function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ValidationError(`cannot read the dataset ${file}: ${(e as Error).message}`);
  }
  const cases: T[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      problems.push(`line ${i + 1}: not JSON (${(e as Error).message})`);
      return;
    }
    const r = schema.safeParse(raw);
    if (r.success) cases.push(r.data);
    else problems.push(`line ${i + 1}: ${z.prettifyError(r.error).replace(/\n/g, '; ')}`);
  });
  // One line, as the CLI shows only the first: the first few problems, each with its line number.
  if (problems.length > 0) throw new ValidationError(`${basename(file)} has ${problems.length} bad line(s): ${problems.slice(0, 5).join(' | ')}`);
  if (cases.length === 0) throw new ValidationError(`${basename(file)} has no cases`);
  return cases;
}

export const loadDataset = (file: string): EvalCase[] => readJsonl(file, EvalCase);

/** Ids must be unique across the files of a run. */
export function assertUniqueIds(cases: readonly { id: string }[]): void {
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new ValidationError(`case id "${c.id}" appears twice; ids must be unique`);
    seen.add(c.id);
  }
}

/** Cases of several files; ids must be unique across them. */
export function loadDatasets(files: string[]): EvalCase[] {
  const cases = files.flatMap(loadDataset);
  assertUniqueIds(cases);
  return cases;
}
