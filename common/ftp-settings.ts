import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { boolFlag, port, setting } from './config.ts';

const REPO_ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const HOME = process.env.ORDERFLOW_HOME ?? path.join(REPO_ROOT, '.orderflow');

/**
 * The FTP server of the customer-support reports: the local stack's vsftpd by default (stack/ftp.ts
 * starts it with these settings), any FTP/FTPS server otherwise. One definition for the stack, the
 * support simulator that uploads and the loader that downloads.
 */
export const ftpSettings = {
  ftpHost: setting(
    'ORDERFLOW_FTP_HOST',
    z.string().min(1),
    '127.0.0.1',
    'FTP server host of the support reports.',
  ),
  ftpPort: setting(
    'ORDERFLOW_FTP_PORT',
    port,
    2121,
    "FTP control port (the local stack's vsftpd listens on it, 127.0.0.1 only).",
  ),
  ftpUser: setting(
    'ORDERFLOW_FTP_USER',
    z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'letters, digits, ".", "_" and "-", at most 32'),
    'orderflow',
    'FTP user (a virtual vsftpd user on the local stack, kept in $ORDERFLOW_HOME/conf/ftp).',
  ),
  ftpPassword: setting(
    'ORDERFLOW_FTP_PASSWORD',
    z.string().regex(/^[^\s]{1,64}$/, '1 to 64 characters without spaces'),
    'orderflow',
    'FTP password (the local stack sets it for ORDERFLOW_FTP_USER at every `stack up`; never logged).',
  ),
  ftpTls: setting(
    'ORDERFLOW_FTP_TLS',
    boolFlag,
    true,
    "Explicit FTPS (AUTH TLS; the local stack's vsftpd then refuses plain logins and data). false = plain FTP.",
  ),
  ftpCaFile: setting(
    'ORDERFLOW_FTP_CA_FILE',
    z.string(),
    path.join(HOME, 'tls', 'ca.pem'),
    "CA certificate the FTPS client trusts (the local stack's own CA by default); empty = the system CAs.",
  ),
};
