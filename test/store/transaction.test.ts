// store.transaction: writes to several groups commit together or not at all.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import type { FeatureStore } from '../../src/store/index.js';
import { tempStore } from '../helpers/tmp.js';

async function twoGroups(store: FeatureStore) {
  const schema = [
    { name: 'k', type: 'string' as const },
    { name: 'v', type: 'float' as const },
  ];
  const a = await store.getOrCreateFeatureGroup({ name: 'a', primaryKey: 'k', onlineEnabled: true, schema });
  const b = await store.getOrCreateFeatureGroup({
    name: 'b',
    primaryKey: 'k',
    onlineEnabled: true,
    schema,
    expectations: { expectations: [{ kind: 'valuesBetween', column: 'v', min: 0 }] },
  });
  return { a, b };
}

describe('store.transaction', () => {
  it('commits writes to several groups together, each with its own consecutive commit id', async () => {
    const store = await tempStore();
    const { a, b } = await twoGroups(store);
    const [ca, cb] = await store.transaction(async () => [await a.insert([{ k: 'x', v: 1 }]), await b.insert([{ k: 'x', v: 2 }])]);
    expect([ca!.commitId, cb!.commitId]).toEqual([1, 2]);
    expect([await a.count(), await b.count()]).toEqual([1, 1]);
    expect((await b.getOnline('x'))!.v).toBe(2);
  });

  it('writes nothing anywhere when a later write fails, and the next commit reuses the ids', async () => {
    const store = await tempStore();
    const { a, b } = await twoGroups(store);
    await a.insert([{ k: 'x', v: 1 }]);
    await a.loadOnline();
    const failed = store.transaction(async () => {
      await a.insert([
        { k: 'x', v: 100 },
        { k: 'y', v: 5 },
      ]);
      await a.deleteRecords([{ k: 'x' }]);
      await b.insert([{ k: 'x', v: -1 }]); // fails b's STRICT expectation
    });
    await expect(failed).rejects.toThrow(ValidationError);
    expect(await a.read()).toEqual([{ k: 'x', v: 1 }]);
    expect(await b.count()).toBe(0);
    expect((await a.getOnline('x'))!.v).toBe(1);
    expect(await a.getOnline('y')).toBeUndefined();
    expect((await a.commits()).map((c) => c.commitId)).toEqual([1]);
    expect((await b.insert([{ k: 'x', v: 3 }]))!.commitId).toBe(2);
  });

  it('can load online tables inside a transaction without deadlock, and a write from outside waits its turn', async () => {
    const store = await tempStore();
    const { a, b } = await twoGroups(store);
    await a.insert([{ k: 'x', v: 1 }]);
    const order: string[] = [];
    const inside = store.transaction(async () => {
      expect((await a.getOnline('x'))!.v).toBe(1);
      await b.insert([{ k: 'x', v: 1 }]);
      await new Promise((r) => setTimeout(r, 50));
      order.push('transaction');
    });
    const outside = a.insert([{ k: 'z', v: 9 }]).then(() => order.push('outside'));
    await Promise.all([inside, outside]);
    expect(order).toEqual(['transaction', 'outside']);
  });
});
