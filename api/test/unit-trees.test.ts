import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUnit } from '@urbanlink/db';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { UnitTrees } from '../src/plugins/unit-trees.ts';

describe('UnitTrees (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('remembers a subtree for its lifetime, reads it again after, and at once after clear()', async () => {
    const city = (await insertUnit(db.client, { name: '市局', kind: 'city' })).id;
    const west = (await insertUnit(db.client, { name: '西区分局', kind: 'district', parentId: city })).id;
    let now = 1_000;
    const trees = new UnitTrees(db.client, { ttlMs: 2_000, now: () => now });
    expect(await trees.subtreeIds(city)).toEqual([city, west]);
    expect(await trees.isWithin(west, city)).toBe(true);
    expect(await trees.isWithin(city, west)).toBe(false);

    // Another process adds a unit: not seen while the entry lives …
    const east = (await insertUnit(db.client, { name: '东区分局', kind: 'district', parentId: city })).id;
    now += 1_999;
    expect(await trees.isWithin(east, city)).toBe(false);
    // … seen once it has expired.
    now += 2;
    expect(await trees.subtreeIds(city)).toEqual([city, west, east]);

    // This process's own edit clears at once.
    const squad = (await insertUnit(db.client, { name: '一中队', kind: 'squad', parentId: west })).id;
    trees.clear();
    expect(await trees.isWithin(squad, city)).toBe(true);
    expect(await trees.subtreeIds(squad + 1_000)).toEqual([]);
  });
});
