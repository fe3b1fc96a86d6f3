import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { openFtp, type FtpSession } from '../../../common/ftp-client.ts';
import { ftpSettings } from '../../../common/ftp-settings.ts';

// The stack's vsftpd (started by the global setup), over FTPS when ORDERFLOW_FTP_TLS is on (default).
const ftp = loadSettings(ftpSettings);

describe('the stack FTP server', () => {
  let session: FtpSession;
  const dir = `t_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  beforeAll(async () => {
    session = await openFtp(ftp);
    await session.ensureDir(dir);
  });
  afterAll(async () => {
    for (const f of await session.list(dir)) await session.remove(`${dir}/${f.name}`);
    session.close();
  });

  it('uploads, lists, downloads, renames and deletes a file', async () => {
    const text = `Ticket ID,Customer Name\nT-1,"Dela Cruz, Juan"\n${randomBytes(2000).toString('hex')}\n`;
    await session.upload(`${dir}/a.csv`, text);
    expect((await session.list(dir)).map((f) => [f.name, f.size])).toEqual([
      ['a.csv', Buffer.byteLength(text)],
    ]);
    expect(await session.download(`${dir}/a.csv`)).toBe(text);
    await session.rename(`${dir}/a.csv`, `${dir}/b.csv`);
    expect((await session.list(dir)).map((f) => f.name)).toEqual(['b.csv']);
    await session.remove(`${dir}/b.csv`);
    expect(await session.list(dir)).toEqual([]);
  });

  it('refuses a wrong password with ORDERFLOW_FTP_UNAVAILABLE naming the settings', async () => {
    await expect(openFtp({ ...ftp, ftpPassword: `${ftp.ftpPassword}x` }, 5000)).rejects.toMatchObject({
      code: 'ORDERFLOW_FTP_UNAVAILABLE',
      message: expect.stringContaining('ORDERFLOW_FTP_HOST/PORT/USER/PASSWORD/TLS'),
    });
  });

  it('refuses a login in the other mode: plain FTP when TLS is on, FTPS when it is off', async () => {
    await expect(openFtp({ ...ftp, ftpTls: !ftp.ftpTls }, 5000)).rejects.toMatchObject({
      code: 'ORDERFLOW_FTP_UNAVAILABLE',
      message: expect.stringContaining(`TLS ${ftp.ftpTls ? 'off' : 'on'}`),
    });
  });
});
