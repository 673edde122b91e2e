// A store writer in its own process for `bench mcp`: commits one small row every 100 ms until its stdin closes, then prints how many.
import { FeatureStore } from '../src/store/index.js';

const store = await FeatureStore.open({ dir: process.argv[2]!, wait: { waitMs: 60_000, command: 'airq bench mcp (writer)' } });
const fg = await store.getOrCreateFeatureGroup({
  name: 'bench_writes',
  primaryKey: 'k',
  schema: [
    { name: 'k', type: 'int' },
    { name: 'at', type: 'string' },
  ],
});
let running = true;
process.stdin.on('end', () => (running = false)).resume();
process.stdout.write('writing\n');
let commits = 0;
while (running) {
  await fg.insert([{ k: commits % 10, at: new Date().toISOString() }]);
  commits++;
  await new Promise((r) => setTimeout(r, 100));
}
await store.close();
process.stdout.write(`${commits}\n`);
