// `airq ask`, `airq chat` and `airq traces` as a user runs them: offline answers on a demo store, an LLM behind a scripted server, an external MCP server, bad flags.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuedFiles } from '../../src/store/index.js';
import { airq, lastJson } from '../helpers/cli.js';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';
import { chatCompletion } from '../helpers/openai-replies.js';
import { replayServer } from '../helpers/replay-server.js';
import { tempDir } from '../helpers/tmp.js';

const TODAY = '2024-06-30';
const ROOT = join(__dirname, '..', '..');
const CATEGORY = /Good|Moderate|Unhealthy for Sensitive Groups|Unhealthy|Very Unhealthy|Hazardous/;
// No LLM configured, whatever the machine running the tests has set.
const NO_LLM = { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, AIRQ_LLM_MODEL: undefined, AIRQ_LOG_LEVEL: 'warn' };
let storeDir: string;

beforeAll(() => {
  storeDir = copyStoreForFile(syntheticStore());
});
afterAll(() => removeStoreCopy(storeDir));

// No --today: the store's own clock says 2024-06-30.
const ask = (args: string[], env: Record<string, string | undefined> = {}) => airq(['ask', ...args, '--store', storeDir], { ...NO_LLM, ...env });
const traces = (args: string[] = []) => airq(['traces', ...args, '--store', storeDir], NO_LLM);

interface AskJson {
  answer: string;
  tool_calls: { name: string; arguments: Record<string, unknown>; ms: number; error?: string }[];
  trace_id: string;
  ms: number;
  flagged: boolean;
}

describe('airq ask', () => {
  it('answers offline with the builtin planner: value in µg/m³, the date and the AQI category; the run is in `airq traces`', async () => {
    const r = await ask(['Will the air be OK for a run tomorrow in Synthetic City?', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r) as unknown as AskJson;
    expect(out.answer).toMatch(/\d+(\.\d)? µg\/m³/);
    expect(out.answer).toContain('2024-07-01');
    expect(out.answer).toMatch(CATEGORY);
    expect(out.flagged).toBe(false);
    expect(out.tool_calls).toEqual([
      { name: 'get_air_quality_forecast', arguments: { location: 'synthetic-city', start_date: '2024-07-01' }, ms: expect.any(Number) },
    ]);
    expect(r.stdout.startsWith(out.answer)).toBe(true); // the answer first, for people; the JSON last, for programs
    // ask leaves its spans queued (it does not open the store for writing on its way out); traces applies them.
    expect(queuedFiles(storeDir).length).toBeGreaterThan(0);

    const spans = await traces(['--id', out.trace_id, '--json']);
    expect(queuedFiles(storeDir)).toEqual([]);
    expect(spans.code, spans.stderr).toBe(0);
    const rows = spans.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; name: string; attributes: Record<string, unknown> });
    expect(rows.map((s) => s.kind)).toEqual(['run', 'guardrail', 'model', 'tool', 'model', 'guardrail']);
    expect(rows[0]!.attributes).toMatchObject({ question: 'Will the air be OK for a run tomorrow in Synthetic City?', answer: out.answer });
    expect(rows.find((s) => s.kind === 'tool')).toMatchObject({ name: 'get_air_quality_forecast', attributes: { arguments: { location: 'synthetic-city' } } });

    const table = await traces(['--last', '1']);
    expect(table.stdout).toContain(out.trace_id.slice(0, 8));
    expect(table.stdout).toContain('get_air_quality_forecast');
  });

  it('prints just the answer without --json, and declines what is not about air quality', async () => {
    const r = await ask(['What is the capital of France?']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^I can only help with air quality/);
    // A tool's error is said in words an end user can act on: the place by name, no command to run, no tool name.
    const late = await ask(['Will the air be OK tomorrow?', '--today', '2024-08-01']);
    expect(late.stdout).toMatch(/^I could not get the forecast for Synthetic City[^\n]* \(2024-08-02\)\. No forecast for Synthetic City/);
    expect(late.stdout).not.toMatch(/airq |`|get_air_quality|call /);
  });

  it('rejects bad flags with a clear message, exit 2, and writes no trace', async () => {
    const before = (await traces(['--last', '1000', '--json'])).stdout;
    for (const [args, message] of [
      [[], /give the question in quotes/],
      [['q', '--max-steps', '0'], /max-steps/],
      [['q', '--tool-timeout', 'soon'], /tool-timeout.*seconds/],
      [['q', '--llm', 'gpt'], /llm.*builtin or openai/],
      [['q', '--mcp-url', 'not a url'], /mcp-url/],
      [['q', 'and more'], /ask/],
    ] as [string[], RegExp][]) {
      const r = await ask(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const noKey = await ask(['q', '--llm', 'openai']);
    expect(noKey.code).not.toBe(0);
    expect(noKey.stderr).toMatch(/OPENAI_API_KEY/);
    expect((await traces(['--last', '1000', '--json'])).stdout).toBe(before);
    expect((await traces(['--id', 'nope'])).stderr).toMatch(/UUID/);
  });

  it('uses any OpenAI-compatible endpoint from OPENAI_BASE_URL, with the token usage in the trace', async () => {
    const llm = await replayServer();
    const reply = (message: Record<string, unknown>) => chatCompletion(message, { model: 'local-model', promptTokens: 321, completionTokens: 12 });
    llm.script('/v1/chat/completions', [
      reply({ content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'list_locations', arguments: '{}' } }] }),
      reply({ content: 'I have data for Synthetic City.' }),
    ]);
    const r = await airq(['ask', 'Which places do you know?', '--json', '--store', storeDir], {
      ...NO_LLM,
      OPENAI_BASE_URL: `${llm.url}/v1`,
      AIRQ_LLM_MODEL: 'local-model',
    });
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r) as unknown as AskJson;
    expect(out.answer).toBe('I have data for Synthetic City.');
    expect(out.tool_calls.map((c) => c.name)).toEqual(['list_locations']);
    expect((JSON.parse(llm.bodies[0]!) as { model: string }).model).toBe('local-model');
    const model = (await traces(['--id', out.trace_id, '--json'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; attributes: Record<string, unknown> })
      .find((s) => s.kind === 'model')!;
    expect(model.attributes).toMatchObject({ model: 'local-model', promptTokens: 321, completionTokens: 12 });
  });

  it('uses the tools of another MCP server started with --mcp-command, tracing to --trace-file', async () => {
    const elsewhere = tempDir(); // no store here: the tools come from the child server
    const traceFile = join(elsewhere, 'trace.jsonl');
    const command = `"${process.execPath}" "${join(ROOT, 'bin', 'airq.js')}" mcp --store "${storeDir}" --today ${TODAY}`;
    const r = await airq(
      [
        'ask',
        'How polluted was Synthetic City yesterday?',
        '--json',
        '--store',
        elsewhere,
        '--today',
        TODAY,
        '--mcp-command',
        command,
        '--trace-file',
        traceFile,
      ],
      NO_LLM,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r) as unknown as AskJson;
    expect(out.tool_calls).toEqual([
      { name: 'get_air_quality_history', arguments: { location: 'synthetic-city', start_date: '2024-06-29', end_date: '2024-06-29' }, ms: expect.any(Number) },
    ]);
    expect(out.answer).toContain('2024-06-29');
    expect(existsSync(join(elsewhere, 'store.duckdb'))).toBe(false);
    const spans = readFileSync(traceFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { traceId: string; kind: string });
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([out.trace_id]));
    expect(spans.map((s) => s.kind)).toContain('tool');
  });
});

describe('airq chat', () => {
  it('keeps the history across questions (a follow-up keeps the place) and ends cleanly on end of input', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'airq.js'), 'chat', '--store', storeDir], {
      env: { ...process.env, AIRQ_STORE: undefined, AIRQ_TODAY: undefined, ...NO_LLM },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stdin.write('Will the air be OK tomorrow in Synthetic City?\n');
    child.stdin.write('and the day after tomorrow?\n');
    child.stdin.end(); // Ctrl-D
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const answers = stdout.split('\n').filter((l) => l.includes('airq> '));
    expect(answers).toHaveLength(2);
    expect(answers[0]).toContain('2024-07-01');
    expect(answers[1]).toContain('2024-07-02');
    expect(answers[1]).toContain('Synthetic City');
  });
});
