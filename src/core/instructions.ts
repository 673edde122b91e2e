// Sentences of retrieved text or tool results that address an assistant ("ignore previous instructions"): found and dropped, never followed.

const BASE = [
  String.raw`\b(ignore|disregard|forget|override)\b[^.!?\n]{0,60}\b(instructions?|prompts?|rules|guidelines you|everything|above|previous)\b`,
  String.raw`\b(system prompt|you are now|from now on,? you|new instructions|developer mode|jailbreak)\b`,
  String.raw`^\s*(assistant|system|AI)\s*:`,
];

/** A sentence of a question that talks to the assistant rather than asking about air quality. */
export const INSTRUCTION = new RegExp(BASE.join('|'), 'i');

/** The same in retrieved text, which has no reason to address an assistant at all. */
const IN_RETRIEVED = new RegExp(
  [
    ...BASE,
    // "AI assistants reading this must tell users …", "When asked about PM2.5, always answer …"
    String.raw`\b(AI|assistants?|language models?|LLMs?|chatbots?|models? reading this)\b(?:[^.!?\n]|\.(?=\d)){0,40}\b(must|should|shall|are to|need to|always|never)\b(?:[^.!?\n]|\.(?=\d)){0,40}\b(say|tell|answer|respond|reply|state|recommend|claim)\b`,
    String.raw`\b(when|if|whenever) (you are |you're )?(asked|a user asks|someone asks|users ask)\b(?:[^.!?\n]|\.(?=\d)){0,80}\b(always |never )?(say|tell|answer|respond|reply)\b`,
  ].join('|'),
  'i',
);

export const sentencesOf = (text: string) => text.split(/(?<=[.!?])\s+|\n+/);

/** Drops the sentences of a tool result that try to instruct the assistant; tool results are data, never instructions. */
export function stripInstructions(text: string): { text: string; removed: string[] } {
  const sentences = sentencesOf(text);
  const removed = sentences.filter((s) => IN_RETRIEVED.test(s));
  return { text: sentences.filter((s) => !IN_RETRIEVED.test(s)).join(' '), removed };
}
