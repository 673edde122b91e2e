// runTool, the one place a tool's answer or failure becomes an MCP result: declared shape only, failures with code and hint as data, no validation dumps, cancellations unanswered.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { runTool } from '../../src/mcp/server.js';
import { COMMON_ERRORS, ERROR_META_KEY, RECOVERY } from '../../tools/errors.js';
import { defineTool, READ_ONLY, type ToolDeps } from '../../tools/tool.js';

const deps = {} as ToolDeps; // the test tools below read nothing

function toolAnswering(answer: () => unknown) {
  return defineTool({
    name: 'probe',
    title: 'Probe',
    description: 'A test tool.',
    input: z.object({}).strict(),
    output: z.object({ pm25: z.number(), days: z.array(z.object({ date: z.string() })) }),
    annotations: READ_ONLY,
    errors: { VALIDATION: 'Give dates as YYYY-MM-DD.' },
    handler: async () => answer() as never,
  });
}

function recording() {
  const lines: string[] = [];
  return { lines, log: createLogger('info', (l) => void lines.push(l)) };
}

describe('runTool', () => {
  it('answers with exactly the declared shape, as structured content and the same JSON as text', async () => {
    const r = await runTool(
      toolAnswering(() => ({ pm25: 12.5, days: [{ date: '2024-06-30', extra: 1 }], internal: 'x' })),
      {},
      deps,
      recording().log,
    );
    expect(r.structuredContent).toEqual({ pm25: 12.5, days: [{ date: '2024-06-30' }] });
    expect(JSON.parse(r.content[0]!.text)).toEqual(r.structuredContent);
    expect(r.isError).toBeUndefined();
  });

  it('turns a domain error into a failure with its code and the hint it needs, in the text and under _meta', async () => {
    const declared = await runTool(
      toolAnswering(() => {
        throw new ValidationError('end_date 2024-01-01 is before start_date 2024-02-01');
      }),
      {},
      deps,
      recording().log,
    );
    expect(declared._meta![ERROR_META_KEY]).toEqual({
      code: 'VALIDATION',
      message: 'end_date 2024-01-01 is before start_date 2024-02-01',
      hint: 'Give dates as YYYY-MM-DD.',
    });
    expect(declared.content[0]!.text).toBe('end_date 2024-01-01 is before start_date 2024-02-01. Give dates as YYYY-MM-DD.');
    const recovered = await runTool(
      toolAnswering(() => {
        throw new NotFoundError('no location matches "atlantis"', { recover: 'list_locations' });
      }),
      {},
      deps,
      recording().log,
    );
    expect(recovered._meta![ERROR_META_KEY]).toMatchObject({ code: 'NOT_FOUND', hint: RECOVERY.list_locations });
  });

  it('reports an answer that breaks the output schema as an internal fault naming where, not a validation dump', async () => {
    const { lines, log } = recording();
    const r = await runTool(
      toolAnswering(() => ({ pm25: -Infinity, days: [] })),
      {},
      deps,
      log,
    );
    expect(r.isError).toBe(true);
    expect(r._meta![ERROR_META_KEY]).toEqual({ code: 'INTERNAL', message: "airq's answer broke its own output schema at pm25", hint: COMMON_ERRORS.INTERNAL });
    expect(r.content[0]!.text).not.toMatch(/expected|received|Infinity|\[/);
    expect(lines.join('')).toMatch(/tool probe failed in [\d.]+ ms: INTERNAL/);
  });

  it('rethrows when the call was cancelled, so no result is sent, and logs it as cancelled', async () => {
    const { lines, log } = recording();
    const controller = new AbortController();
    const tool = toolAnswering(() => {
      controller.abort();
      throw new Error('stopped between steps');
    });
    await expect(runTool(tool, {}, deps, log, { signal: controller.signal, progress: async () => {} })).rejects.toThrow('stopped between steps');
    expect(lines.join('')).toMatch(/tool probe cancelled after [\d.]+ ms/);
  });
});
