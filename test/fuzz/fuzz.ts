// The fuzz suite's shared parts: one fixed seed (AIRQ_FUZZ_SEED replays another), hostile strings, and the checks every case ends with.
import fc from 'fast-check';
import { FeatureStore } from '../../src/store/index.js';

/** The seed of every property; a failure prints it, and AIRQ_FUZZ_SEED=N replays (or varies) the run. */
export const SEED = Number(process.env.AIRQ_FUZZ_SEED ?? 20_260_022);
/** AIRQ_FUZZ_RUNS=10 runs ten times as many cases (for a long run by hand; the default keeps npm test quick). */
const SCALE = Math.max(0.1, Number(process.env.AIRQ_FUZZ_RUNS ?? 1));

/** Runs a property with the suite's seed and `numRuns` cases; a failure names the seed and how to replay it. */
export async function check<T>(name: string, property: fc.IAsyncPropertyWithHooks<T> | fc.IPropertyWithHooks<T>, numRuns: number): Promise<void> {
  try {
    await fc.assert(property, { seed: SEED, numRuns: Math.max(1, Math.round(numRuns * SCALE)) });
  } catch (e) {
    const err = e as Error;
    err.message = `fuzz "${name}" failed with seed ${SEED} (replay: AIRQ_FUZZ_SEED=${SEED}):\n${err.message}`;
    throw err;
  }
}

/** Names every JavaScript object answers to: lookups in plain objects must not find them. */
export const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'prototype', '__defineGetter__'];

/** Strings chosen to break things: SQL, escapes, control characters, impossible dates, odd numbers, names of Object.prototype. */
export const NASTY = [
  '',
  ' ',
  "'",
  '"',
  "'; DROP TABLE air_quality; --",
  "x' OR '1'='1",
  '-- comment',
  '/* */',
  '\\',
  '\u0000',
  '\u001b[31mred\u001b[0m',
  '\r\n',
  '\u2028',
  '\ud800',
  '💨🏭',
  'Ω≈ç√',
  '%',
  '%00',
  '%E0%A4',
  '../../etc/passwd',
  '2024-13-45',
  '2024-02-30',
  '0000-00-00',
  '9999-12-31',
  '-1',
  '-0',
  '0.5',
  '1e309',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  '{}',
  '[]',
  ...PROTO_NAMES,
];

/** A hostile string: random text of every kind, a nasty constant, or a long run of characters. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', '💨', '\u0007', "'"), fc.integer({ min: 1_000, max: 200_000 })).map(([c, n]) => c.repeat(n)) },
);

/** A hostile number: the edges of the doubles and of safe integers, negatives, fractions. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, Number.MIN_SAFE_INTEGER, 5e-324, 2 ** 31, -(2 ** 63)),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A stack trace line (`    at fn (file:1:2)`): hostile input must never print one. */
export const STACK_LINE = /^\s+at .+/m;
/** What JavaScript says when code met a value it did not expect: never the answer to a user's input. */
export const JS_INTERNAL = /Cannot read propert|Cannot convert|is not a function|is not iterable|is not a constructor|Maximum call stack|undefined \(reading/;
/** Control characters other than newline and tab: output a terminal would interpret. */
// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** What a store holds, for "unchanged": its last commit and each group's version and row count. */
export async function storeFingerprint(dir: string): Promise<string> {
  const store = await FeatureStore.open({ dir, readOnly: true });
  try {
    const groups = await Promise.all(store.listFeatureGroups().map(async (g) => `${g.name}@${g.version}:${await g.count()}`));
    return JSON.stringify({ lastCommit: store.lastCommitId, groups: groups.sort() });
  } finally {
    await store.close();
  }
}
