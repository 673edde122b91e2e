// `npm run test:crash`: the full crash suite, N >= 150 kills across every writing command plus the disk-full cases; prints a summary and exits 1 on any broken promise.
import { harness } from './bases.js';
import { COMMANDS } from './commands.js';
import { diskFullCases } from './disk-full.js';
import { crashSeed } from './seed.js';
import { failed, runSuite, summaryTable } from './suite.js';

const argv = process.argv.slice(2);
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1]!.split(',') : undefined;
/** --disk: only the disk-full cases. */
const diskOnly = argv.includes('--disk');
const scale = argv.includes('--scale') ? Number(argv[argv.indexOf('--scale') + 1]) : 1;
if (only?.some((n) => !COMMANDS.some((c) => c.name === n))) {
  console.error(`--only takes command names of test/crash/commands.ts: ${COMMANDS.map((c) => c.name).join(', ')}`);
  process.exit(2);
}
const seed = crashSeed();
const log = (line: string) => void process.stdout.write(`${line}\n`);
log(`crash suite, seed ${seed} (replay with AIRQ_CRASH_SEED=${seed})`);
const t0 = Date.now();
const h = await harness();
try {
  const { results } = diskOnly
    ? { results: [] }
    : await runSuite(h, { seed, kills: (c) => Math.max(1, Math.round(c.kills * scale)), compare: () => true, only, log });
  const disk = only ? [] : await diskFullCases(h, log);
  log(`\n${summaryTable(results)}`);
  for (const d of disk) log(d.line);
  const bad = failed(results);
  const badDisk = disk.filter((d) => !d.ok);
  log(`\n${results.filter((r) => r.killed).length} kills in ${Math.round((Date.now() - t0) / 1000)} s; seed ${seed}`);
  if (bad.length + badDisk.length > 0) {
    log(`\nFAILED (replay with AIRQ_CRASH_SEED=${seed}):`);
    for (const r of bad) log(`  ${r.command} at ${r.moment}: ${r.problems.join(' | ')}`);
    for (const d of badDisk) log(`  ${d.line}`);
    process.exitCode = 1;
  }
} finally {
  await h.close();
}
