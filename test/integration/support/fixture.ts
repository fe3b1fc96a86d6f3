import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { openFtp, type FtpSession } from '../../../common/ftp-client.ts';
import { ftpSettings } from '../../../common/ftp-settings.ts';
import { SupportLoader } from '../../../support/loader.ts';
import { log } from '../helpers.ts';
import { databaseUrl, freshSchema, type FreshSchema } from '../warehouse/fresh-schema.ts';

export const ftp = loadSettings(ftpSettings);

/** A directory of its own on the stack's FTP server; `remove` deletes it with its files. */
export async function ftpDir(
  label: string,
): Promise<{ dir: string; session: FtpSession; remove: () => Promise<void> }> {
  const dir = `t_${label}_${randomBytes(4).toString('hex')}`;
  const session = await openFtp(ftp);
  await session.ensureDir(`${dir}/rejected`);
  return {
    dir,
    session,
    remove: async () => {
      for (const sub of [`${dir}/rejected`, `${dir}/received`, dir]) {
        for (const f of await session.list(sub)) if (f.isFile) await session.remove(`${sub}/${f.name}`);
      }
      session.close();
    },
  };
}

/**
 * What a support loader test stands on: a fresh warehouse schema and an FTP directory of its own,
 * made before the file's tests and removed after them (the fixture registers its own hooks).
 */
export function reportsFixture(schemaLabel: string, dirLabel: string) {
  let removeDir: () => Promise<void> = async () => undefined;
  const fx = {
    wh: undefined as unknown as FreshSchema,
    dir: '',
    session: undefined as unknown as FtpSession,
    /** A loader on the fixture's directory into its schema. */
    loader: (): SupportLoader =>
      new SupportLoader({ databaseUrl, schema: fx.wh.schema, ftp, ftpDir: fx.dir, log }),
    /** The count a `select count(*) as n ...` finds in the fixture's schema. */
    count: async (sql: string): Promise<number> =>
      Number((await fx.wh.client.query<{ n: string }>(sql)).rows[0]!.n),
  };
  beforeAll(async () => {
    fx.wh = await freshSchema(schemaLabel);
    ({ dir: fx.dir, session: fx.session, remove: removeDir } = await ftpDir(dirLabel));
  });
  afterAll(async () => {
    await removeDir();
    await fx.wh.drop();
  });
  return fx;
}
