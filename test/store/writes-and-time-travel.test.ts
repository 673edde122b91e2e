// Upserts, deletes and time travel by ingestion time: asOf a commit, asOf a time, and incremental reads.
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../src/core/errors.js';
import { col, type FeatureGroup } from '../../src/store/index.js';
import { tempStore } from '../helpers/tmp.js';

async function dailyGroup(): Promise<FeatureGroup> {
  const store = await tempStore();
  return store.getOrCreateFeatureGroup({
    name: 'daily',
    primaryKey: 'loc',
    eventTime: 'date',
    onlineEnabled: true,
    schema: [
      { name: 'loc', type: 'string' },
      { name: 'date', type: 'date' },
      { name: 'pm25', type: 'float' },
    ],
  });
}

describe('insert (upsert)', () => {
  it('replaces the row with the same key and event time instead of duplicating it', async () => {
    const fg = await dailyGroup();
    const c1 = await fg.insert([
      { loc: 'a', date: '2024-01-01', pm25: 10 },
      { loc: 'b', date: '2024-01-01', pm25: 20 },
    ]);
    const c2 = await fg.insert([
      { loc: 'a', date: '2024-01-01', pm25: 11 },
      { loc: 'a', date: '2024-01-02', pm25: 12 },
    ]);
    expect([c1!.rowsInserted, c1!.rowsUpdated]).toEqual([2, 0]);
    expect([c2!.rowsInserted, c2!.rowsUpdated]).toEqual([1, 1]);
    expect(await fg.read()).toEqual([
      { loc: 'a', date: '2024-01-01', pm25: 11 },
      { loc: 'a', date: '2024-01-02', pm25: 12 },
      { loc: 'b', date: '2024-01-01', pm25: 20 },
    ]);
    expect(await fg.count()).toBe(3);
  });

  it('across a batch of several days, an unchanged row is skipped and a changed one replaced, whatever its day', async () => {
    const fg = await dailyGroup();
    const days = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'];
    await fg.insert(days.flatMap((date, d) => ['a', 'b'].map((loc) => ({ loc, date, pm25: d }))));
    // The oldest and newest days unchanged, one middle day corrected, one new day: only two rows change.
    const c = await fg.insert([
      { loc: 'a', date: '2024-01-01', pm25: 0 },
      { loc: 'b', date: '2024-01-02', pm25: 7 },
      { loc: 'a', date: '2024-01-04', pm25: 3 },
      { loc: 'a', date: '2024-01-05', pm25: 4 },
    ]);
    expect([c!.rowsInserted, c!.rowsUpdated]).toEqual([1, 1]);
    expect(await fg.count()).toBe(9);
    expect((await fg.read()).filter((r) => r.loc === 'b' && r.date === '2024-01-02')).toEqual([{ loc: 'b', date: '2024-01-02', pm25: 7 }]);
    expect(await fg.insert([{ loc: 'b', date: '2024-01-01', pm25: 0 }])).toBeNull();
  });

  it('skips unchanged rows whatever the year of their event time (ISO text beyond 0000-9999 is not in time order)', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({
      name: 'far',
      primaryKey: 'k',
      eventTime: 'at',
      schema: [
        { name: 'k', type: 'string' },
        { name: 'at', type: 'timestamp' },
        { name: 'v', type: 'float' },
      ],
    });
    const rows = [new Date(Date.UTC(-2, 0, 1)), new Date(Date.UTC(-1, 0, 1)), new Date(Date.UTC(10_000, 0, 1))].map((at, i) => ({ k: 'a', at, v: i }));
    expect((await fg.insert(rows))!.rowsInserted).toBe(3);
    expect(await fg.insert(rows)).toBeNull();
    expect(await fg.count()).toBe(3);
  });

  it('checks rows as they are when the write happens: a row changed after insert was called is validated as changed', async () => {
    const fg = await dailyGroup();
    const row: Record<string, unknown> = { loc: 'a', date: '2024-01-01', pm25: 1 };
    const pending = fg.insert([row as never]);
    row.pm25 = 'oops';
    await expect(pending).rejects.toThrow(ValidationError);
    expect(await fg.count()).toBe(0);
  });

  it('within one batch the last row for a key wins', async () => {
    const fg = await dailyGroup();
    const c = await fg.insert([
      { loc: 'a', date: '2024-01-01', pm25: 1 },
      { loc: 'a', date: '2024-01-01', pm25: 2 },
    ]);
    expect(c!.rowsInserted).toBe(1);
    expect(await fg.read()).toEqual([{ loc: 'a', date: '2024-01-01', pm25: 2 }]);
  });

  it('gives each commit a growing id and ingestion time, and logs the counts', async () => {
    const fg = await dailyGroup();
    await fg.insert([{ loc: 'a', date: '2024-01-01', pm25: 1 }]);
    await fg.insert([{ loc: 'a', date: '2024-01-01', pm25: 2 }]);
    await fg.deleteRecords([{ loc: 'a' }]);
    const log = await fg.commits();
    expect(log.map((c) => [c.commitId, c.operation, c.rowsInserted, c.rowsUpdated, c.rowsDeleted])).toEqual([
      [3, 'delete', 0, 0, 1],
      [2, 'insert', 0, 1, 0],
      [1, 'insert', 1, 0, 0],
    ]);
    expect(log[0]!.ingestedAt > log[1]!.ingestedAt && log[1]!.ingestedAt > log[2]!.ingestedAt).toBe(true);
  });
});

describe('deleteRecords', () => {
  it('deletes one row version by key and event time, or every row of a key', async () => {
    const fg = await dailyGroup();
    await fg.insert([
      { loc: 'a', date: '2024-01-01', pm25: 1 },
      { loc: 'a', date: '2024-01-02', pm25: 2 },
      { loc: 'b', date: '2024-01-01', pm25: 3 },
    ]);
    expect((await fg.deleteRecords([{ loc: 'a', date: '2024-01-02' }]))!.rowsDeleted).toBe(1);
    expect(await fg.select(['loc', 'date']).read()).toEqual([
      { loc: 'a', date: '2024-01-01' },
      { loc: 'b', date: '2024-01-01' },
    ]);
    expect((await fg.deleteRecords([{ loc: 'b' }]))!.rowsDeleted).toBe(1);
    expect(await fg.deleteRecords([{ loc: 'zzz' }])).toBeNull();
    await expect(fg.deleteRecords([{ date: '2024-01-01' }])).rejects.toThrow(/key 0, column "loc"/);
    expect(await fg.count()).toBe(1);
  });
});

describe('time travel (asOf)', () => {
  it('returns exactly the rows as they were after a commit, despite later upserts and deletes', async () => {
    const fg = await dailyGroup();
    const c1 = await fg.insert([
      { loc: 'a', date: '2024-01-01', pm25: 10 },
      { loc: 'b', date: '2024-01-01', pm25: 20 },
    ]);
    const afterC1 = await fg.read();
    const c2 = await fg.insert([
      { loc: 'a', date: '2024-01-01', pm25: 99 },
      { loc: 'c', date: '2024-01-01', pm25: 30 },
    ]);
    const afterC2 = await fg.read();
    await fg.deleteRecords([{ loc: 'b' }]);
    await fg.insert([{ loc: 'c', date: '2024-01-01', pm25: 31 }]);

    expect(await fg.asOf(c1!.commitId).read()).toEqual(afterC1);
    expect(await fg.asOf(c2!.commitId).read()).toEqual(afterC2);
    expect(await fg.asOf(c1!.ingestedAt).read()).toEqual(afterC1);
    expect(await fg.asOf(new Date(Date.parse(c2!.ingestedAt))).read()).toEqual(afterC2);
    expect(await fg.asOf('2000-01-01T00:00:00Z').read()).toEqual([]);
    expect(await fg.read()).toEqual([
      { loc: 'a', date: '2024-01-01', pm25: 99 },
      { loc: 'c', date: '2024-01-01', pm25: 31 },
    ]);
  });

  it('with excludeUntil returns only what changed between two commits (incremental reads)', async () => {
    const fg = await dailyGroup();
    const c1 = await fg.insert([
      { loc: 'a', date: '2024-01-01', pm25: 10 },
      { loc: 'b', date: '2024-01-01', pm25: 20 },
    ]);
    await fg.insert([{ loc: 'a', date: '2024-01-01', pm25: 11 }]);
    const c3 = await fg.insert([{ loc: 'c', date: '2024-01-01', pm25: 30 }]);
    await fg.insert([{ loc: 'd', date: '2024-01-01', pm25: 40 }]);
    expect(await fg.asOf(c3!.commitId, { excludeUntil: c1!.commitId }).read()).toEqual([
      { loc: 'a', date: '2024-01-01', pm25: 11 },
      { loc: 'c', date: '2024-01-01', pm25: 30 },
    ]);
  });

  it('combines with select and filter, and refuses unknown commits', async () => {
    const fg = await dailyGroup();
    const c1 = await fg.insert([
      { loc: 'a', date: '2024-01-01', pm25: 10 },
      { loc: 'b', date: '2024-01-01', pm25: 20 },
    ]);
    await fg.insert([{ loc: 'b', date: '2024-01-01', pm25: 5 }]);
    const q = fg.asOf(c1!.commitId).select(['loc', 'pm25']).filter(col('pm25').ge(15));
    expect(await q.read()).toEqual([{ loc: 'b', pm25: 20 }]);
    await expect(fg.asOf(999).read()).rejects.toThrow(NotFoundError);
    await expect(fg.asOf('yesterday').read()).rejects.toThrow(ValidationError);
  });
});

describe('re-running an insert', () => {
  it('writes nothing new: identical rows are not changes, and only real changes make a commit', async () => {
    const fg = await dailyGroup();
    const rows = [
      { loc: 'a', date: '2024-01-01', pm25: 1 },
      { loc: 'b', date: '2024-01-01', pm25: null },
    ];
    const first = await fg.insert(rows);
    expect(await fg.insert(rows)).toBeNull();
    const mixed = await fg.insert([...rows, { loc: 'a', date: '2024-01-01', pm25: 1.5 }, { loc: 'c', date: '2024-01-01', pm25: 3 }]);
    expect([mixed!.rowsInserted, mixed!.rowsUpdated]).toEqual([1, 1]);
    expect(mixed!.statistics!.rowCount).toBe(2);
    expect((await fg.commits()).map((c) => c.commitId)).toEqual([mixed!.commitId, first!.commitId]);
    expect(await fg.asOf(first!.commitId).count()).toBe(2);
    expect(await fg.count()).toBe(3);
  });
});
