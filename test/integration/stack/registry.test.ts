/**
 * The schema registry as orderflow's writers use it (real Apicurio of the local stack).
 */
import { describe, expect, it } from 'vitest';
import { AvroSerde, readSchema } from '../../../common/serde.ts';
import { setCompatibility } from '../../../stack/topics.ts';
import { TOPICS } from '../../../schemas/topics.ts';
import { conn, registerOnce, uniquePrefix } from '../helpers.ts';

describe('schema registry', () => {
  it('registering again under a subject a timed-out try left without a compatibility setting returns the same id', async () => {
    // What a registration that landed after its try timed out leaves: the schema under the subject,
    // and no compatibility setting of the subject's own (set only after a successful try). The
    // registry reads that back as NONE, which the client used to refuse on every retry.
    const subject = `${uniquePrefix('reg')}orders-value`;
    const schema = readSchema(TOPICS.finished.schema);
    const res = await registerOnce(subject, schema);
    expect(res.status, res.body).toBe(200);
    const { id } = JSON.parse(res.body) as { id: number };
    const config = await fetch(`${conn.registryUrl}/config/${encodeURIComponent(subject)}`);
    expect(((await config.json()) as { compatibilityLevel?: string }).compatibilityLevel).toBe('NONE');

    const encoder = await new AvroSerde(conn.registryUrl, 5_000).writer(subject, schema);
    expect(encoder.schemaId).toBe(id);
  }, 60_000);

  /** A subject with a schema and no compatibility rule of its own (what a raw registration leaves). */
  async function bareSubject(): Promise<string> {
    const subject = `${uniquePrefix('reg')}orders-value`;
    const res = await registerOnce(subject, readSchema(TOPICS.finished.schema));
    expect(res.status, res.body).toBe(200);
    return subject;
  }

  // Two `stack up` (or two test runs) at once set the compatibility of the same new subjects;
  // Apicurio creates the rule for one request and answers the others 409 "A rule named
  // 'COMPATIBILITY' already exists". Tried again, each finds the rule and updates it.
  it("processes setting a subject's compatibility at the same moment all succeed", async () => {
    // Ten new subjects, twenty at once on each: without the retry, some of the 200 lose the race.
    const subjects = await Promise.all(Array.from({ length: 10 }, () => bareSubject()));
    const racing = subjects.flatMap((subject) =>
      Array.from({ length: 20 }, () => setCompatibility(conn.registryUrl, subject, 'BACKWARD')),
    );
    const outcomes = await Promise.allSettled(racing);
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    for (const subject of subjects) {
      const config = await fetch(`${conn.registryUrl}/config/${encodeURIComponent(subject)}`);
      expect(((await config.json()) as { compatibilityLevel?: string }).compatibilityLevel).toBe('BACKWARD');
    }
  }, 90_000);
});
