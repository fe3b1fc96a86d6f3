import { randomBytes } from 'node:crypto';
import { loadSettings } from '../../../common/config.ts';
import { openFtp, type FtpSession } from '../../../common/ftp-client.ts';
import { ftpSettings } from '../../../common/ftp-settings.ts';

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
