// Feature-group definitions: idempotent creation, conflicts, schemas (explicit, inferred, enforced) and evolution.
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../src/core/errors.js';
import { FeatureStore } from '../../src/store/index.js';
import { tempDir, tempStore } from '../helpers/tmp.js';

const spec = {
  name: 'air',
  version: 1,
  description: 'daily air quality',
  primaryKey: ['location_id'],
  eventTime: 'date',
  onlineEnabled: true,
  schema: [
    { name: 'location_id', type: 'string' as const },
    { name: 'date', type: 'date' as const },
    { name: 'pm25', type: 'float' as const },
    { name: 'hours', type: 'int' as const },
  ],
};

describe('getOrCreateFeatureGroup', () => {
  it('returns the same group for the same definition, and it survives reopening', async () => {
    const dir = tempDir();
    const store = await FeatureStore.open({ dir });
    const a = await store.getOrCreateFeatureGroup(spec);
    const b = await store.getOrCreateFeatureGroup({ ...spec, description: 'reworded description' });
    expect(b).toBe(a);
    await store.close();
    const again = await FeatureStore.open({ dir });
    const c = await again.getOrCreateFeatureGroup(spec);
    expect(c.meta.schema).toEqual(spec.schema);
    expect(again.listFeatureGroups().map((g) => `${g.name}@${g.version}`)).toEqual(['air@1']);
    await again.close();
  });

  it('refuses a conflicting definition and says what differs and which version to create', async () => {
    const store = await tempStore();
    await store.getOrCreateFeatureGroup(spec);
    const conflicting = {
      ...spec,
      primaryKey: ['location_id', 'date'],
      schema: spec.schema.map((f) => (f.name === 'hours' ? { ...f, type: 'float' as const } : f)),
    };
    const err = await store.getOrCreateFeatureGroup(conflicting).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toMatch(/primaryKey is \[location_id\] in the store/);
    expect((err as Error).message).toMatch(/column "hours" is int in the store, float in the request/);
    expect((err as Error).message).toMatch(/Create version 2/);
  });

  it('keeps versions apart: each version is its own table, and the latest is the default', async () => {
    const store = await tempStore();
    const v1 = await store.getOrCreateFeatureGroup(spec);
    const v2 = await store.getOrCreateFeatureGroup({ ...spec, version: 2, primaryKey: ['location_id', 'date'] });
    await v1.insert([{ location_id: 'x', date: '2024-01-01', pm25: 1, hours: 24 }]);
    expect(await v2.read()).toEqual([]);
    expect(store.getFeatureGroup('air')).toBe(v2);
    expect(store.getFeatureGroup('air', 1)).toBe(v1);
    expect(() => store.getFeatureGroup('air', 7)).toThrow(/versions: 1, 2/);
    expect(() => store.getFeatureGroup('nope')).toThrow(NotFoundError);
  });

  it('rejects bad definitions with a message naming the field', async () => {
    const store = await tempStore();
    await expect(store.getOrCreateFeatureGroup({ ...spec, name: 'Bad Name' })).rejects.toThrow(/name/);
    await expect(store.getOrCreateFeatureGroup({ ...spec, primaryKey: ['nope'] })).rejects.toThrow(/primary key column "nope" is not in the data/);
    await expect(store.getOrCreateFeatureGroup({ ...spec, eventTime: 'pm25' })).rejects.toThrow(/must be a date or timestamp, not float/);
    await expect(store.getOrCreateFeatureGroup({ name: 'ttl_only', primaryKey: 'k', ttl: '1d' })).rejects.toThrow(/ttl needs an eventTime/);
    // @ts-expect-error an unknown option is refused, not ignored
    await expect(store.getOrCreateFeatureGroup({ ...spec, onlineEnabeld: true })).rejects.toThrow(ValidationError);
    expect(store.listFeatureGroups()).toEqual([]);
  });
});

describe('schemas', () => {
  it('infers a schema from the first insert and enforces it afterwards', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({ name: 'inferred', primaryKey: 'id', eventTime: 'ts' });
    await fg.insert([{ id: 'a', ts: '2024-01-01T10:00:00Z', value: 1.5, ok: true, day: '2024-01-01' }]);
    expect(fg.meta.schema).toEqual([
      { name: 'id', type: 'string' },
      { name: 'ts', type: 'timestamp' },
      { name: 'value', type: 'float' },
      { name: 'ok', type: 'bool' },
      { name: 'day', type: 'date' },
    ]);
    await expect(fg.insert([{ id: 'b', ts: '2024-01-02T00:00:00Z', value: 'high' }])).rejects.toThrow(
      /row 0, column "value" \(float\): expected a finite number, got "high"/,
    );
    await expect(fg.insert([{ id: 'b', ts: '2024-01-02T00:00:00Z', extra: 1 }])).rejects.toThrow(
      /column "extra", which is not in the schema; add it with fg.appendFeatures/,
    );
    expect(await fg.read()).toHaveLength(1);
  });

  it('names the row and column of a bad value, refuses null keys, NaN and impossible dates, and writes nothing', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup(spec);
    const good = { location_id: 'x', date: '2024-01-01', pm25: 3, hours: 24 };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...good, hours: 2.5 }, /row 1, column "hours" \(int\)/],
      [{ ...good, location_id: null }, /row 1, column "location_id" is a primary key/],
      [{ ...good, date: '2024-02-30' }, /row 1, column "date" \(date\)/],
      [{ ...good, pm25: Number.NaN }, /use null for a missing value/],
    ];
    for (const [bad, message] of cases) {
      await expect(fg.insert([good, bad as never])).rejects.toThrow(message);
    }
    expect(await fg.read()).toEqual([]);
    expect(await fg.commits()).toEqual([]);
  });

  it('cannot infer a column that is all null, and says to pass a schema', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({ name: 'nulls', primaryKey: 'id' });
    await expect(fg.insert([{ id: 'a', v: null }])).rejects.toThrow(/pass an explicit schema/);
  });

  it('appendFeatures adds nullable columns with defaults; a type change is refused', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup(spec);
    const first = await fg.insert([{ location_id: 'x', date: '2024-01-01', pm25: 3, hours: 24 }]);
    await fg.appendFeatures([
      { name: 'no2', type: 'float', default: 0 },
      { name: 'note', type: 'string' },
    ]);
    await fg.insert([{ location_id: 'y', date: '2024-01-01', pm25: 4, hours: 24, no2: 7 }]);
    expect(await fg.read()).toEqual([
      { location_id: 'x', date: '2024-01-01', pm25: 3, hours: 24, no2: 0, note: null },
      { location_id: 'y', date: '2024-01-01', pm25: 4, hours: 24, no2: 7, note: null },
    ]);
    expect((await fg.getOnline('x'))?.no2).toBe(0);
    // time travel still works after the table grew
    expect(await fg.asOf(first!.commitId).count()).toBe(1);
    await expect(fg.appendFeatures([{ name: 'hours', type: 'float' }])).rejects.toThrow(
      /changing column "hours" from int to float is a breaking change; create a new version/,
    );
    await fg.appendFeatures([{ name: 'no2', type: 'float' }]); // same column again: no-op
    expect(fg.meta.schema!.map((f) => f.name)).toEqual(['location_id', 'date', 'pm25', 'hours', 'no2', 'note']);
    // the original definition (without the appended columns) still matches the group
    await expect(store.getOrCreateFeatureGroup(spec)).resolves.toBe(fg);
  });
});

describe('a group created without a schema', () => {
  it('takes the schema of a later getOrCreate, on the handle the caller already holds', async () => {
    const store = await tempStore();
    const first = await store.getOrCreateFeatureGroup({ name: 'late', primaryKey: 'location_id', eventTime: 'date' });
    expect(first.meta.schema).toBeNull();
    const second = await store.getOrCreateFeatureGroup({ ...spec, name: 'late', onlineEnabled: false, description: '' });
    expect(second).toBe(first);
    expect(first.meta.schema).toEqual(spec.schema);
    await first.insert([{ location_id: 'x', date: '2024-01-01', pm25: 1, hours: 24 }]);
    await expect(first.insert([{ location_id: 'x', date: '2024-01-01', pm25: 1, hours: 2.5 }])).rejects.toThrow(/"hours" \(int\)/);
  });
});
