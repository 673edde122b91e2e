// Checks a model's tool-call arguments against the tool's JSON Schema before the tool sees them; the error goes back to the model to repair.
import { z } from 'zod';
import type { ToolSpec } from './types.js';

export type ArgumentCheck = { ok: true; args: Record<string, unknown> } | { ok: false; error: string };

const compiled = new WeakMap<ToolSpec, z.ZodType>();

function schemaOf(tool: ToolSpec): z.ZodType {
  let s = compiled.get(tool);
  if (!s) {
    try {
      s = z.fromJSONSchema(tool.inputSchema as Parameters<typeof z.fromJSONSchema>[0]);
    } catch {
      s = z.record(z.string(), z.unknown()); // a schema zod cannot read: the server still validates
    }
    compiled.set(tool, s);
  }
  return s;
}

const retry = (tool: ToolSpec) => `Fix the arguments and call ${tool.name} again with one JSON object.`;

/** Parses the raw JSON text and validates it; an empty string counts as no arguments. */
export function checkArguments(tool: ToolSpec, raw: string): ArgumentCheck {
  let value: unknown;
  try {
    value = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch (e) {
    return { ok: false, error: `the arguments of ${tool.name} are not valid JSON (${(e as Error).message}). ${retry(tool)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, error: `the arguments of ${tool.name} must be a JSON object. ${retry(tool)}` };
  const r = schemaOf(tool).safeParse(value);
  if (!r.success) return { ok: false, error: `invalid arguments for ${tool.name}:\n${z.prettifyError(r.error)}\n${retry(tool)}` };
  return { ok: true, args: value as Record<string, unknown> };
}
