// The one FTP(S) client of orderflow (basic-ftp): connect with a clear error, text files in and out.
import { existsSync, readFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { Client, type FileInfo } from 'basic-ftp';
import type { SettingsOf } from './config.ts';
import { describeError, OrderflowError } from './errors.ts';
import type { ftpSettings } from './ftp-settings.ts';

export type FtpSettings = SettingsOf<typeof ftpSettings>;

export interface FtpSession {
  list(dir?: string): Promise<FileInfo[]>;
  upload(name: string, text: string): Promise<void>;
  download(name: string): Promise<string>;
  remove(name: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  ensureDir(dir: string): Promise<void>;
  close(): void;
}

/** Log in (FTPS when ORDERFLOW_FTP_TLS is on); a refusal or an unreachable server is ORDERFLOW_FTP_UNAVAILABLE. */
export async function openFtp(s: FtpSettings, timeoutMs = 15_000): Promise<FtpSession> {
  const client = new Client(timeoutMs);
  const ca =
    s.ftpTls && s.ftpCaFile !== '' && existsSync(s.ftpCaFile) ? readFileSync(s.ftpCaFile) : undefined;
  try {
    await client.access({
      host: s.ftpHost,
      port: s.ftpPort,
      user: s.ftpUser,
      password: s.ftpPassword,
      secure: s.ftpTls,
      secureOptions: ca ? { ca } : undefined,
    });
  } catch (error) {
    client.close();
    throw new OrderflowError(
      'ORDERFLOW_FTP_UNAVAILABLE',
      `FTP server ${s.ftpHost}:${s.ftpPort} (user ${s.ftpUser}, TLS ${s.ftpTls ? 'on' : 'off'}) refused or did not answer: ${describeError(error)}. Check ORDERFLOW_FTP_HOST/PORT/USER/PASSWORD/TLS and \`orderflow stack status\``,
      { cause: error, retriable: true, context: { host: s.ftpHost, port: s.ftpPort, user: s.ftpUser } },
    );
  }
  return {
    list: (dir) => client.list(dir),
    upload: async (name, text) => {
      // vsftpd over TLS answers an empty upload by breaking the control connection (the client sees
      // "wrong version number"): refuse it here, where the cause is plain.
      if (text.length === 0)
        throw new OrderflowError(
          'ORDERFLOW_USAGE',
          `FTP upload of ${name}: the file is empty; write at least a line`,
        );
      await client.uploadFrom(Readable.from([Buffer.from(text, 'utf8')]), name);
    },
    download: async (name) => {
      const chunks: Buffer[] = [];
      await client.downloadTo(
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            chunks.push(chunk);
            callback();
          },
        }),
        name,
      );
      return Buffer.concat(chunks).toString('utf8');
    },
    remove: async (name) => {
      await client.remove(name);
    },
    rename: async (from, to) => {
      await client.rename(from, to);
    },
    ensureDir: async (dir) => {
      await client.ensureDir(dir);
      await client.cd('/');
    },
    close: () => client.close(),
  };
}
