// vsftpd: the FTP(S) server of the customer-support reports, on 127.0.0.1 only, with one virtual user.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { OrderflowError } from '../common/errors.ts';
import type { Component } from './components.ts';
import { ensureBrokerTls } from './kafka-sasl.ts';
import { launch, launchedProcessGone, runningPid, stopPid } from './process.ts';
import type { StackPaths, StackSettings } from './settings.ts';

const VSFTPD = process.env.ORDERFLOW_VSFTPD_BIN ?? '/usr/sbin/vsftpd';
const DB_LOAD = '/usr/bin/db5.3_load';
/** The system user the virtual FTP user maps to (created by Debian's vsftpd package). */
const GUEST_USER = 'ftp';

/**
 * Where the FTP user's files and vsftpd's empty jail live: outside the state directory, because the
 * session runs as the `ftp` system user, which cannot enter a private (0700) $ORDERFLOW_HOME such as
 * a `mktemp -d` checkout. One directory per state directory, as for the PAM service.
 */
const JAILS = '/var/lib/orderflow-ftp';

export function ftpPaths(p: StackPaths) {
  const conf = path.join(p.conf, 'ftp');
  const id = createHash('sha256').update(p.home).digest('hex').slice(0, 12);
  const jail = path.join(JAILS, id);
  return {
    conf,
    configFile: path.join(conf, 'vsftpd.conf'),
    /** pam_userdb's Berkeley DB of user/password pairs, without its .db suffix (as PAM names it). */
    userDb: path.join(conf, 'users'),
    /** vsftpd needs an empty directory it owns (root, not writable by others) for its chroot jail. */
    emptyDir: path.join(jail, 'empty'),
    root: path.join(jail, 'root'),
    logFile: path.join(p.logs, 'ftp.log'),
    pidFile: path.join(p.run, 'ftp.pid'),
    /** A PAM service per state directory: several stacks on one machine keep their own users. */
    pamService: `orderflow-ftp-${id}`,
  };
}

/** vsftpd.conf for the given settings (pure: the unit test reads it). */
export function vsftpdConfig(
  s: StackSettings,
  f: ReturnType<typeof ftpPaths>,
  tls?: { cert: string; key: string },
) {
  const [pasvMin, pasvMax] = s.ftpPassivePorts.split('-');
  const lines = [
    // Standalone, in the foreground (the stack keeps its pid), IPv4 loopback only.
    'listen=YES',
    'listen_ipv6=NO',
    'listen_address=127.0.0.1',
    `listen_port=${s.ftpPort}`,
    'background=NO',
    // One virtual user (PAM pam_userdb), mapped to the ftp system user, locked into the data root.
    'anonymous_enable=NO',
    'local_enable=YES',
    'write_enable=YES',
    'local_umask=022',
    'guest_enable=YES',
    `guest_username=${GUEST_USER}`,
    'virtual_use_local_privs=YES',
    `local_root=${f.root}`,
    'chroot_local_user=YES',
    // The data root is the user's (writable) chroot: vsftpd refuses that ("500 OOPS") unless told.
    'allow_writeable_chroot=YES',
    `pam_service_name=${path.basename(pamFile(f))}`,
    `secure_chroot_dir=${f.emptyDir}`,
    // Containers: no seccomp filter, no network/pid namespaces (clone() with them fails unprivileged).
    'seccomp_sandbox=NO',
    'isolate=NO',
    'isolate_network=NO',
    // Passive mode only, on loopback and a fixed port range.
    'pasv_enable=YES',
    'port_enable=NO',
    'pasv_address=127.0.0.1',
    `pasv_min_port=${pasvMin}`,
    `pasv_max_port=${pasvMax}`,
    'use_localtime=NO',
    'xferlog_enable=YES',
    `vsftpd_log_file=${f.logFile}`,
    'dual_log_enable=NO',
    'xferlog_std_format=NO',
    'log_ftp_protocol=YES',
  ];
  if (tls) {
    lines.push(
      'ssl_enable=YES',
      `rsa_cert_file=${tls.cert}`,
      `rsa_private_key_file=${tls.key}`,
      'force_local_logins_ssl=YES',
      'force_local_data_ssl=YES',
      'ssl_tlsv1=YES',
      'ssl_sslv2=NO',
      'ssl_sslv3=NO',
      'require_ssl_reuse=YES',
      'ssl_ciphers=HIGH',
    );
  }
  return lines.join('\n') + '\n';
}

function pamFile(f: ReturnType<typeof ftpPaths>): string {
  return path.join('/etc/pam.d', f.pamService);
}

/** Whether something answers FTP's greeting (220) on the port. */
export function ftpGreets(port: number, host = '127.0.0.1', timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let text = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.includes('\n')) done(text.startsWith('220'));
    });
  });
}

export function ftp(s: StackSettings, p: StackPaths): Component {
  const f = ftpPaths(p);
  const marker = f.configFile;
  return {
    name: 'ftp',
    port: s.ftpPort,
    logFile: f.logFile,
    url: `${s.ftpTls ? 'ftps' : 'ftp'}://${s.ftpUser}@127.0.0.1:${s.ftpPort}/`,
    healthy: () => ftpGreets(s.ftpPort),
    pid: () => runningPid(f.pidFile, marker),
    exited: () => launchedProcessGone(f.pidFile),
    start: async () => {
      if (!existsSync(VSFTPD) || !existsSync(DB_LOAD)) {
        throw new OrderflowError(
          'ORDERFLOW_STACK_NOT_INSTALLED',
          `vsftpd (${VSFTPD}) or db5.3_load (${DB_LOAD}) not found: run scripts/setup.sh (Debian packages vsftpd, db5.3-util)`,
        );
      }
      if (process.getuid?.() !== 0) {
        throw new OrderflowError(
          'ORDERFLOW_STACK_START_FAILED',
          'vsftpd needs root for its virtual user (PAM) and chroot: run `orderflow stack up` as root, or point ORDERFLOW_FTP_HOST/PORT at another FTP server',
        );
      }
      for (const dir of [f.conf, p.logs, p.run, f.root]) mkdirSync(dir, { recursive: true });
      mkdirSync(f.emptyDir, { recursive: true, mode: 0o755 });
      const uid = Number(execFileSync('id', ['-u', GUEST_USER]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', GUEST_USER]).toString().trim());
      chownSync(f.root, uid, gid);
      // The user database: rebuilt at every start, so a changed ORDERFLOW_FTP_PASSWORD takes effect.
      rmSync(`${f.userDb}.db`, { force: true });
      execFileSync(DB_LOAD, ['-T', '-t', 'hash', `${f.userDb}.db`], {
        input: `${s.ftpUser}\n${s.ftpPassword}\n`,
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      execFileSync('chmod', ['600', `${f.userDb}.db`]);
      writeFileSync(
        pamFile(f),
        `# orderflow's vsftpd for ${p.home} (stack/ftp.ts): one virtual user\n` +
          `auth required pam_userdb.so db=${f.userDb}\naccount required pam_userdb.so db=${f.userDb}\n`,
      );
      let tls: { cert: string; key: string } | undefined;
      if (s.ftpTls) {
        const t = ensureBrokerTls(p);
        tls = { cert: path.join(t.dir, 'broker.pem'), key: path.join(t.dir, 'broker-key.pem') };
      }
      writeFileSync(f.configFile, vsftpdConfig(s, f, tls));
      if (!existsSync(f.logFile)) writeFileSync(f.logFile, '');
      launch({
        name: 'ftp',
        command: VSFTPD,
        args: [f.configFile],
        logFile: f.logFile,
        pidFile: f.pidFile,
        marker,
      });
    },
    stop: async () => {
      const pid = runningPid(f.pidFile, marker);
      return pid === undefined ? 'not running' : stopPid(pid, f.pidFile, 10_000);
    },
  };
}
