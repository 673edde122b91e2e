// The versioned prompt files under prompts/: the system prompt, the planner's intents and answer templates, read once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../core/data-dir.js';

const cache = new Map<string, string>();

export function readPromptFile(name: string): string {
  let text = cache.get(name);
  if (text === undefined) cache.set(name, (text = readFileSync(join(projectRoot(), 'prompts', name), 'utf8')));
  return text;
}

/** The "## name" sections of a markdown file, each trimmed; text before the first heading is commentary. */
export function sections(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = markdown.split(/^## +/m).slice(1);
  for (const part of parts) {
    const nl = part.indexOf('\n');
    out.set(part.slice(0, nl).trim(), part.slice(nl + 1).trim());
  }
  return out;
}

/** Fills {name} placeholders; a placeholder without a value is an error in the template, not in the answer. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`template placeholder {${key}} has no value`);
    return String(v);
  });
}

let answers: Map<string, string> | undefined;

/** A section of prompts/answers.md, filled in. */
export function answerText(name: string, values: Record<string, string | number> = {}): string {
  answers ??= sections(readPromptFile('answers.md'));
  const template = answers.get(name);
  if (template === undefined) throw new Error(`prompts/answers.md has no "## ${name}" section`);
  return fill(template, values);
}
