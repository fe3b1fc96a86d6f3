import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { ftpPaths, vsftpdConfig } from '../../../stack/ftp.ts';
import { stackPaths, stackSettings, type StackSettings } from '../../../stack/settings.ts';

describe('the stack vsftpd configuration', () => {
  const s = loadSettings(stackSettings, {
    ORDERFLOW_HOME: '/x/.orderflow',
    ORDERFLOW_FTP_PORT: '3121',
    ORDERFLOW_FTP_PASSIVE_PORTS: '3122-3125',
  }) as StackSettings;
  const f = ftpPaths(stackPaths(s.home));
  const conf = (tls?: { cert: string; key: string }) => vsftpdConfig(s, f, tls).split('\n');

  it('listens on 127.0.0.1 only, on the configured control and passive ports, in the foreground', () => {
    expect(conf()).toEqual(
      expect.arrayContaining([
        'listen_address=127.0.0.1',
        'listen_port=3121',
        'background=NO',
        'pasv_address=127.0.0.1',
        'pasv_min_port=3122',
        'pasv_max_port=3125',
        'allow_writeable_chroot=YES',
      ]),
    );
    // The FTP user's root and the jail sit outside the state directory (a private 0700 home, as
    // `mktemp -d` makes, cannot be entered by the ftp system user), one pair per state directory.
    const id = f.pamService.slice('orderflow-ftp-'.length);
    expect(conf()).toEqual(
      expect.arrayContaining([
        `local_root=/var/lib/orderflow-ftp/${id}/root`,
        `secure_chroot_dir=/var/lib/orderflow-ftp/${id}/empty`,
      ]),
    );
    expect(conf().some((l) => l.startsWith('ssl_enable'))).toBe(false);
  });

  it('forces TLS for logins and data when given a certificate', () => {
    expect(conf({ cert: '/c.pem', key: '/k.pem' })).toEqual(
      expect.arrayContaining([
        'ssl_enable=YES',
        'force_local_logins_ssl=YES',
        'force_local_data_ssl=YES',
        'rsa_cert_file=/c.pem',
      ]),
    );
  });

  it('gives each state directory its own PAM service', () => {
    expect(f.pamService).toMatch(/^orderflow-ftp-[0-9a-f]{12}$/);
    expect(ftpPaths(stackPaths('/y/.orderflow')).pamService).not.toBe(f.pamService);
  });

  it('rejects a passive range that is not FIRST-LAST', () => {
    expect(() => loadSettings(stackSettings, { ORDERFLOW_FTP_PASSIVE_PORTS: '2131-2122' })).toThrow(
      /ORDERFLOW_FTP_PASSIVE_PORTS="2131-2122" is not valid: two ports as FIRST-LAST/,
    );
  });
});
