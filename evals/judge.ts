// LLM-as-judge: faithfulness and helpfulness (1-5, with a one-line reason) of one answer, graded by any Model from prompts/judge.md.
import { z } from 'zod';
import { fill, readPromptFile } from '../src/agent/prompt-files.js';
import type { Model } from '../src/agent/types.js';
import { weekdayName } from '../src/agent/planner/dates.js';

export interface Judgement {
  faithfulness: number;
  helpfulness: number;
  reason: string;
}

const Verdict = z.object({
  faithfulness: z.coerce.number().int().min(1).max(5),
  helpfulness: z.coerce.number().int().min(1).max(5),
  reason: z.string().max(1000),
});

/** Tool results are clipped so that a long history table cannot crowd out the instructions. */
const MAX_RESULTS_CHARS = 12_000;

export function judgePrompt(input: { question: string; today: string; answer: string; toolResults: string[] }): string {
  const text = readPromptFile('judge.md');
  const body = text.slice(text.indexOf('\n---\n') + 5).trim();
  const results = input.toolResults.join('\n\n').slice(0, MAX_RESULTS_CHARS) || '(no tool was called)';
  // Braces in the filled-in values must not be read as placeholders: fill once, values last.
  return fill(body, { question: input.question, today: input.today, tool_results: results, answer: input.answer || '(no answer)' });
}

/** The first JSON object in the judge's reply, validated; a reply without one is an error naming what came back. */
export function parseVerdict(text: string): Judgement {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  let raw: unknown;
  try {
    raw = JSON.parse(text.slice(start, end + 1));
  } catch {
    throw new Error(`the judge did not answer with JSON: ${text.slice(0, 200)}`);
  }
  const r = Verdict.safeParse(raw);
  if (!r.success) throw new Error(`the judge's JSON is not a verdict: ${text.slice(0, 200)}`);
  return { ...r.data, reason: r.data.reason.replace(/\s+/g, ' ').slice(0, 200) };
}

export async function judgeAnswer(
  model: Model,
  input: { question: string; today: string; answer: string; toolResults: string[] },
  signal: AbortSignal = new AbortController().signal,
): Promise<Judgement> {
  const r = await model.respond({
    messages: [
      { role: 'system', content: judgePrompt(input) },
      { role: 'user', content: 'Grade the answer now.' },
    ],
    tools: [],
    context: { today: input.today, weekday: weekdayName(input.today), locations: [] },
    signal,
  });
  if (r.turn.type !== 'final') throw new Error('the judge asked for tools instead of answering');
  return parseVerdict(r.turn.text);
}
