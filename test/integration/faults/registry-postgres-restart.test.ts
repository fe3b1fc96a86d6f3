/**
 * The schema registry keeps its schemas in the stack's PostgreSQL cluster. A restart of that cluster
 * ends every connection in the registry's pool; the registry must answer again as soon as PostgreSQL
 * is back, not hand out the dead connections until its idle validation finds them (Agroal's default:
 * every 2 minutes, which failed every registration for about 90 s, and a generator started after a
 * database restart gave up). Real stack: PostgreSQL through the stack's own stop and start code, and
 * the real Apicurio Registry.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readSchema } from '../../../common/serde.ts';
import { TOPICS } from '../../../schemas/topics.ts';
import { conn, registerOnce, uniquePrefix } from '../helpers.ts';
import { component, restore } from './stack-control.ts';

const prefix = uniquePrefix('regpg');
const schema = readSchema(TOPICS.finished.schema);

/** Registrations at once, twice the pool's minimum size, so they take many of its connections. */
const COUNT = 40;
const subjectName = (tag: string, i: number): string => `${prefix}${tag}-${i}-value`;

/** COUNT new subjects registered at once. */
async function registerMany(tag: string): Promise<{ status: number; body: string }[]> {
  return Promise.all(Array.from({ length: COUNT }, (_, i) => registerOnce(subjectName(tag, i), schema)));
}

afterAll(async () => {
  await restore('postgres').catch(() => undefined);
  for (const tag of ['before', 'after']) {
    for (let i = 0; i < COUNT; i++) {
      const url = `${conn.registryUrl}/subjects/${encodeURIComponent(subjectName(tag, i))}`;
      await fetch(url, { method: 'DELETE' }).catch(() => undefined);
      await fetch(`${url}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
    }
  }
}, 300_000);

describe('schema registry across a PostgreSQL restart', () => {
  it('registers new schemas as soon as PostgreSQL is back, on the first try', async () => {
    // Before: the pool holds open connections (its minimum is 20), all in use at once here.
    const before = await registerMany('before');
    expect(before.filter((r) => r.status !== 200)).toEqual([]);

    const postgres = component('postgres');
    const pidBefore = postgres.pid();
    expect(await postgres.stop()).toBe('stopped');
    await restore('postgres');
    expect(postgres.pid()).not.toBe(pidBefore);

    // After: every registration succeeds on its one try, each through a connection of the pool.
    const up = Date.now();
    const after = await registerMany('after');
    const tookMs = Date.now() - up;
    console.log(`registry after a PostgreSQL restart: ${COUNT} registrations in ${tookMs} ms`);
    expect(after.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body.slice(0, 300)}`)).toEqual(
      [],
    );
  }, 300_000);
});
