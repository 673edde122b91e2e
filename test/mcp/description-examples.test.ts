// Every example call in a tool's description, as the server lists it, run on the Beijing demo store and on the synthetic one: a model that copies an example gets an answer.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { fixedMoments } from '../../src/airquality/services/moment.js';
import { silentLogger } from '../../src/core/logger.js';
import { HashingEmbedder } from '../../src/embed/hashing.js';
import { examplePlaceOf } from '../../src/mcp/example-place.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { FeatureStore } from '../../src/store/index.js';
import { beijingStore, SYNTHETIC_TODAY, syntheticStore } from '../helpers/stores.js';

/** Each `tool {json}` after "Example:" in a description (several are joined by " or "). */
export function examplesIn(description: string): { name: string; args: Record<string, unknown> }[] {
  const tail = description.slice(description.indexOf('Example: ') + 'Example: '.length);
  return [...tail.matchAll(/([a-z_]+) (\{.*?\})(?= or |\.$|$)/g)].map((m) => ({ name: m[1]!, args: JSON.parse(m[2]!) as Record<string, unknown> }));
}

async function runExamples(dir: string, today: string) {
  const store = await FeatureStore.open({ dir, readOnly: true });
  const moments = fixedMoments(store, () => today);
  const server = createMcpServer({
    version: 'test',
    log: silentLogger,
    moments,
    embedder: async () => new HashingEmbedder(),
    examplePlace: await examplePlaceOf(moments),
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: 'examples-test', version: '1' });
  await client.connect(b);
  try {
    const { tools } = await client.listTools();
    const runs = [];
    for (const t of tools) {
      const examples = examplesIn(t.description ?? '');
      expect(examples.length, `${t.name} has an example`).toBeGreaterThan(0);
      for (const e of examples) {
        expect(e.name, t.name).toBe(t.name);
        const r = (await client.callTool({ name: e.name, arguments: e.args })) as { isError?: boolean; content: { text: string }[] };
        runs.push({ call: `${e.name} ${JSON.stringify(e.args)}`, error: r.isError ? r.content[0]!.text : undefined });
      }
    }
    return runs;
  } finally {
    await client.close();
    await store.close();
  }
}

describe('description examples', () => {
  it('all work on the synthetic store, naming its place', async () => {
    const runs = await runExamples(syntheticStore(), SYNTHETIC_TODAY());
    expect(runs.filter((r) => r.error)).toEqual([]);
    expect(runs.map((r) => r.call).join('\n')).toMatch(/"location":"Synthetic City \(synthetic data\)"/);
    expect(runs.length).toBeGreaterThanOrEqual(9);
  }, 60_000);

  it.skipIf(!beijingStore())(
    'all work on the Beijing demo store, naming one of its stations',
    async () => {
      const runs = await runExamples(beijingStore()!, '2017-02-21');
      expect(runs.filter((r) => r.error)).toEqual([]);
      expect(runs.map((r) => r.call).join('\n')).toMatch(/"value":"beijing-aotizhongxin"/);
    },
    60_000,
  );

  it('reads every example of a description', () => {
    expect(examplesIn('Does x. Example: t {"a": 1} or t {"b": "c. d"}.')).toEqual([
      { name: 't', args: { a: 1 } },
      { name: 't', args: { b: 'c. d' } },
    ]);
  });
});
