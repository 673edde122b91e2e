// zod at the boundary: parse or throw a ValidationError that names the offending field.
import type { z } from 'zod';
import { ValidationError } from './errors.js';

export function formatZodIssues(error: z.ZodError, max = 3): string {
  return error.issues
    .slice(0, max)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new ValidationError(`invalid ${what}: ${formatZodIssues(r.error)}`, { issues: r.error.issues });
  }
  return r.data;
}
