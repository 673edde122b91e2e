// A reader beside a writer that is about to be killed: opens the latest read snapshot again and again and checks it, one JSON line per look, until stdin closes.
import { AppError, errorMessage } from '../../src/core/errors.js';
import { FeatureStore, verifyStore } from '../../src/store/index.js';

const dir = process.argv[2]!;
let stop = false;
process.stdin.on('end', () => (stop = true));
process.stdin.on('error', () => (stop = true));
process.stdin.resume();
const print = (x: unknown) => process.stdout.write(`${JSON.stringify(x)}\n`);

while (!stop) {
  try {
    const store = await FeatureStore.open({ dir, readOnly: true, wait: { waitMs: 1000 } });
    try {
      const r = await verifyStore(store, { commitsPerGroup: 20, onlineKeys: 200 });
      print({ ok: r.ok, commit: store.lastCommitId, problems: r.problems });
    } finally {
      await store.close();
    }
  } catch (e) {
    print({ error: errorMessage(e).split('\n')[0], code: e instanceof AppError ? e.code : 'UNEXPECTED' });
  }
  await new Promise((r) => setTimeout(r, 30));
}
