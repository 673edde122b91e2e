// Fuzz: `node bin/airq.js <random argv>` as a user runs it (the built bundle: `npm run build` first). Exit 0, 1 or 2 only,
// stderr without a stack trace or control characters, and no store made or changed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';
import { tempDir } from '../helpers/tmp.js';
import { check, CONTROL, hostileString, JS_INTERNAL, PROTO_NAMES, STACK_LINE, storeFingerprint } from './fuzz.js';

const READERS = ['fg', 'fv', 'models', 'status', 'monitor', 'traces'];
const WORDS = [
  'list',
  'show',
  'read',
  'air_quality',
  'pm25_forecaster',
  '--json',
  '--version',
  '--limit',
  '--window',
  '--location',
  '--last',
  '--today',
  '--wait',
  '--help',
];
/** Commands that write or serve: they get an unknown option first, so the parser must stop them. */
const WRITERS = ['demo', 'places', 'run', 'pipeline', 'import', 'download', 'mcp', 'serve', 'ask', 'chat', 'eval', 'bench', 'train', 'forecast', 'embed'];

/** An argument a process can take: no NUL (the OS refuses it) and short enough for one argv string. */
const arg = hostileString.map((s) => s.replaceAll('\u0000', '?').slice(0, 20_000));
const rest = fc.array(
  fc.oneof(
    fc.constantFrom(...WORDS),
    arg,
    fc.tuple(fc.constantFrom(...WORDS), arg).map(([w, v]) => `${w}=${v}`),
  ),
  { maxLength: 6 },
);

/** One command line: a reader with random words, a writer stopped by a bad option, or an unknown name. */
const commandLine = fc.oneof(
  fc.tuple(fc.constantFrom(...READERS), rest).map(([c, r]) => [c, ...r]),
  fc.tuple(fc.constantFrom(...WRITERS), rest).map(([c, r]) => [c, '--fuzz-no-such-option', '--fuzz-no-such-option', ...r]),
  fc.tuple(fc.constantFrom('nope', 'help', '--version', ...PROTO_NAMES), rest).map(([c, r]) => [c, ...r]),
  fc.tuple(fc.constantFrom('--today', '--wait'), arg, fc.constantFrom(...READERS), rest).map(([g, v, c, r]) => [g, v, c, ...r]),
);

function expectClean(argv: string[], r: { code: number; stderr: string }): void {
  const what = `airq ${JSON.stringify(argv).slice(0, 300)} -> ${r.code}: ${r.stderr.slice(0, 300)}`;
  expect([0, 1, 2], what).toContain(r.code);
  expect(r.stderr, what).not.toMatch(STACK_LINE);
  expect(r.stderr, what).not.toMatch(JS_INTERNAL);
  expect(r.stderr, what).not.toMatch(CONTROL);
}

describe('fuzz: airq as a process', () => {
  let store: string;
  let before: string;
  beforeAll(async () => {
    store = copyStoreForFile(syntheticStore());
    before = await storeFingerprint(store);
  });
  afterAll(() => removeStoreCopy(store));

  it('random command lines on a missing store: clean exits and no store made', async () => {
    const missing = join(tempDir('airq-fuzz-proc-'), 'no-store');
    await check(
      'process without a store',
      fc.property(commandLine, (argv) => {
        const r = runCli(argv, { AIRQ_STORE: missing, AIRQ_LOG_LEVEL: 'warn' });
        expectClean(argv, r);
        expect(existsSync(missing), `airq ${JSON.stringify(argv)} made a store`).toBe(false);
      }),
      10,
    );
  });

  it('random command lines on a real store: clean exits and the store unchanged', async () => {
    await check(
      'process on a store',
      fc.property(commandLine, (argv) => {
        expectClean(argv, runCli(argv, { AIRQ_STORE: store, AIRQ_LOG_LEVEL: 'warn' }));
      }),
      8,
    );
    expect(await storeFingerprint(store)).toBe(before);
  });
});
