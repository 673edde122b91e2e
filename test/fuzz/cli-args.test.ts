// Fuzz: the CLI's argument parsing in this process. Any argv ends in a parse or a usage error, never a JavaScript error,
// exit codes 0/1/2 only, stderr one printable line without a stack, and no store made or changed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_OPTIONS, parse, type Options } from '../../src/cli/args.js';
import { UsageError } from '../../src/core/errors.js';
import { airq } from '../helpers/cli.js';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';
import { tempDir } from '../helpers/tmp.js';
import { check, CONTROL, hostileString, JS_INTERNAL, NASTY, PROTO_NAMES, STACK_LINE, storeFingerprint } from './fuzz.js';

/** A table like the commands' own: strings, booleans, a repeatable option, a short flag. */
const OPTIONS = {
  json: { type: 'boolean' },
  location: { type: 'string' },
  limit: { type: 'string' },
  port: { type: 'string' },
  'cors-origin': { type: 'string', multiple: true },
  'no-schedule': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'V' },
} as const satisfies Options;
const NAMES = [...Object.keys(GLOBAL_OPTIONS), ...Object.keys(OPTIONS)];

/** The commands that only read a store, with the words they take. */
const READERS: Record<string, string[]> = {
  // No --out: a hostile value would write files outside the test's directories.
  fg: ['list', 'show', 'read', 'air_quality', 'weather', '--json', '--version', '--limit', '--where', '--order', '--format'],
  fv: ['list', 'show', 'export', 'air_quality_fv', '--json', '--version', '--split', '--format', '--training-dataset'],
  models: ['list', 'show', 'pm25_forecaster', '--json', '--version'],
  status: ['--json'],
  monitor: ['--json', '--window', '--location', 'synthetic-city'],
  traces: ['--last', '--id', '--json'],
};
/** Commands that need an existing store before they do anything (they write it). */
const NEED_STORE = ['train', 'forecast', 'embed', 'backtest'];

/** One argv token: a word or option of `words` (alone or with =value), a dash form, `--`, or hostile text. */
const token = (words: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...words) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...words.filter((w) => w.startsWith('--'))), hostileString).map(([o, v]) => `${o}=${v}`) },
    { weight: 1, arbitrary: fc.constantFrom('--', '-', '-h', '-V', '-Vx', '-1', '-1.5', '--=', '---', '--no-json', ...PROTO_NAMES.map((n) => `--${n}`)) },
    { weight: 3, arbitrary: hostileString },
  );

/** Tokens that would point the command at another store than the test's own are left out. */
const argvOf = (words: readonly string[], max = 8) =>
  fc.array(token([...words, '--today', '--wait']), { maxLength: max }).map((a) => a.filter((t) => !t.startsWith('--store')));

describe('fuzz: airq argument parsing', () => {
  it('parse() returns options and positionals or throws a UsageError, whatever the argv', async () => {
    await check(
      'parse',
      fc.property(
        argvOf(
          NAMES.map((n) => `--${n}`),
          12,
        ),
        (argv) => {
          let parsed;
          try {
            parsed = parse(argv, OPTIONS, 'fuzz');
          } catch (e) {
            expect(e, String(e)).toBeInstanceOf(UsageError);
            expect((e as Error).message).toMatch(/^fuzz: /);
            return;
          }
          expect(parsed.positionals.every((p) => typeof p === 'string')).toBe(true);
          // Only the table's options, as own keys: `--constructor` and `--__proto__` are refused, never found.
          for (const k of Object.keys(parsed.values)) expect(NAMES).toContain(k);
        },
      ),
      400,
    );
  });

  describe('whole commands in this process', () => {
    let missing: string;
    beforeAll(() => {
      missing = join(tempDir('airq-fuzz-cli-'), 'no-store-here');
    });

    it('readers, writers and unknown names on a missing store: exit 0, 1 or 2 with one clean line, and no store made', async () => {
      const command = fc.constantFrom(...Object.keys(READERS), ...NEED_STORE, 'help', 'nope', ...PROTO_NAMES, ...NASTY.slice(0, 8));
      const words = [...new Set(Object.values(READERS).flat())];
      await check(
        'cli without a store',
        fc.asyncProperty(command, argvOf(words), async (cmd, rest) => {
          const r = await airq([cmd, ...rest], { AIRQ_STORE: missing, AIRQ_DEBUG: '1', AIRQ_LOG_LEVEL: 'warn' });
          expectCleanExit(r);
          expect(existsSync(missing), `airq ${[cmd, ...rest].join(' ')} made a store`).toBe(false);
        }),
        150,
      );
    });

    it('commands that write or reach the network stop at a bad option: help or exit 2, nothing made', async () => {
      const command = fc.constantFrom('demo', 'places', 'run', 'pipeline', 'import', 'download', 'mcp', 'serve', 'ask', 'chat', 'eval', 'bench');
      await check(
        'cli writers refuse',
        fc.asyncProperty(command, argvOf(NAMES.map((n) => `--${n}`)), async (cmd, rest) => {
          // The unknown option comes first (twice: also where a subcommand is read), so nothing can run past the parser.
          const r = await airq([cmd, '--fuzz-no-such-option', '--fuzz-no-such-option', ...rest], {
            AIRQ_STORE: missing,
            AIRQ_DEBUG: '1',
            AIRQ_LOG_LEVEL: 'warn',
          });
          expectCleanExit(r);
          expect(r.code === 2 || (r.code === 0 && [cmd, ...rest].some((t) => t === '--help' || t === '-h')), r.stderr).toBe(true);
          expect(existsSync(missing)).toBe(false);
        }),
        60,
      );
    });
  });

  describe('readers on a real store', () => {
    let dir: string;
    let before: string;
    beforeAll(async () => {
      dir = copyStoreForFile(syntheticStore());
      before = await storeFingerprint(dir);
    });
    afterAll(() => removeStoreCopy(dir));

    it('any argv to fg, fv, models, status, monitor, traces: a result or a clean error, and the store unchanged', async () => {
      const command = fc.constantFrom(...Object.keys(READERS));
      await check(
        'cli readers',
        fc.asyncProperty(
          command.chain((c) => fc.tuple(fc.constant(c), fc.constantFrom(...READERS[c]!.slice(0, 3)), argvOf(READERS[c]!, 5))),
          async ([cmd, first, rest]) => {
            if (['fg', 'fv', 'models'].includes(cmd)) rest.unshift(first);
            const r = await airq([cmd, ...rest], { AIRQ_STORE: dir, AIRQ_DEBUG: '1', AIRQ_LOG_LEVEL: 'warn' });
            expectCleanExit(r);
          },
        ),
        40,
      );
      expect(await storeFingerprint(dir)).toBe(before);
    });
  });
});

/** Exit 0, 1 or 2; stderr with no stack (AIRQ_DEBUG prints one for any error that is not airq's own), nothing a terminal would run. */
function expectCleanExit(r: { code: number; stdout: string; stderr: string }): void {
  expect([0, 1, 2], r.stderr).toContain(r.code);
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stderr).not.toMatch(JS_INTERNAL);
  expect(r.stderr).not.toMatch(CONTROL);
  if (r.code !== 0) expect(r.stderr).toMatch(/^airq: /m);
}
