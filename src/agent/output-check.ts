// The output guardrail: an answer's numbers and dates come from tool results, and its health claims agree with the server's health facts.
import { contradictions, mayMakeHealthClaims, type Contradiction, type HealthFacts } from '../core/health-claims.js';
import { checkGrounded } from './guardrails.js';

export interface OutputCheck {
  grounded: boolean;
  /** Numbers and dates no tool result (nor the question) contains. */
  ungrounded: string[];
  /** Claims that contradict the health facts (a WHO value, an AQI category, "harmless at any level"). */
  contradicts: Contradiction[];
}

/** Checks `answer`; `facts` is fetched only when the answer reads like a health claim. */
export async function checkOutput(answer: string, sources: readonly string[], facts: () => Promise<HealthFacts | undefined>): Promise<OutputCheck> {
  const g = checkGrounded(answer, sources);
  const table = mayMakeHealthClaims(answer) ? await facts() : undefined;
  return { ...g, contradicts: table ? contradictions(answer, table, { ignoreQuoted: true }) : [] };
}

export const passed = (c: OutputCheck) => c.grounded && c.contradicts.length === 0;

/** Fewer problems is better; a regenerated answer replaces the first only when it is better. */
export const problems = (c: OutputCheck) => c.ungrounded.length + c.contradicts.length;

/** What the model is told before it answers again. */
export function regenerationNote(c: OutputCheck): string {
  const parts: string[] = [];
  if (!c.grounded) parts.push(`Your answer states ${c.ungrounded.join(', ')}, which no tool result of this conversation contains.`);
  for (const x of c.contradicts) parts.push(`Your answer says ${x.says}, which is wrong: ${x.canonical}`);
  return `${parts.join(' ')} Answer again using only numbers and dates from the tool results, and the health facts as stated here.`;
}

/** An answer that still contradicts the facts keeps its text (it is what the model said) followed by each canonical fact once. */
export function withCorrections(answer: string, contradicts: readonly Contradiction[]): string {
  const canonical = [...new Set(contradicts.map((c) => c.canonical))];
  return canonical.length === 0 ? answer : `${answer}\n\nCorrection: ${canonical.join(' ')}`;
}
