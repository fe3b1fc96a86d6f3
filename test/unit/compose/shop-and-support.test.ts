/**
 * docker-compose.yml carries the shop around the order chain as the local stack runs it: the shop
 * database with logical decoding and its Debezium source, the stock service, the support desk with
 * its FTP server, and the order API. Checked without a Docker engine, each on a broken copy too.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { ftpSettings } from '../../../common/ftp-settings.ts';
import { shopDatabaseSetting } from '../../../common/settings.ts';
import { buildOf } from './image-checks.ts';
import { environmentOf, loadRepoCompose, rootPath, type ComposeFile } from './compose-model.ts';

const { compose, vars } = loadRepoCompose();
const copy = (): ComposeFile => structuredClone(compose);
const read = (...p: string[]) => readFileSync(rootPath(...p), 'utf8');

/** What a compose file's wiring of the shop gets wrong (empty: nothing). */
function shopProblems(c: ComposeFile): string[] {
  const problems: string[] = [];
  const s = c.services;
  const command = (name: string) => [s[name]?.command ?? []].flat().join(' ');
  if (!/wal_level=logical/.test(command('postgres')))
    problems.push('postgres: no wal_level=logical (the Debezium source needs logical decoding)');
  const after = (name: string, on: string, condition: string) => {
    const d = s[name]?.depends_on as Record<string, { condition: string }> | undefined;
    if (d?.[on]?.condition !== condition) problems.push(`${name}: does not wait for ${on} (${condition})`);
  };
  if (command('shop-migrate') !== `shop migrate --seed ${vars.ORDERFLOW_SEED}`)
    problems.push('shop-migrate: not `orderflow shop migrate --seed $ORDERFLOW_SEED`');
  after('connect-deploy', 'shop-migrate', 'service_completed_successfully');
  after('stock', 'shop-migrate', 'service_completed_successfully');
  after('support', 'ftp', 'service_healthy');
  after('support-loader', 'ftp', 'service_healthy');
  for (const name of ['stock', 'support', 'support-loader', 'api', 'connect-deploy', 'shop-migrate']) {
    const env = environmentOf(s[name] ?? {});
    const shop = env.ORDERFLOW_SHOP_DATABASE_URL;
    if (!shop || new URL(shop).hostname !== 'postgres')
      problems.push(`${name}: ORDERFLOW_SHOP_DATABASE_URL does not point at the postgres service`);
    // Each value is one the service itself accepts at start-up.
    try {
      loadSettings({ shop: shopDatabaseSetting, ...ftpSettings }, env);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
    if (env.ORDERFLOW_FTP_HOST !== 'ftp') problems.push(`${name}: ORDERFLOW_FTP_HOST is not the ftp service`);
    const ftp = environmentOf(s.ftp ?? {});
    if (env.ORDERFLOW_FTP_USER !== ftp.FTP_USER || env.ORDERFLOW_FTP_PASSWORD !== ftp.FTP_PASSWORD)
      problems.push(`${name}: its FTP login is not the ftp service's`);
  }
  return problems;
}

/** Named-volume mounts of a service, target path -> { volume, readOnly }. */
function namedMounts(service: { volumes?: unknown[] }, c: ComposeFile) {
  const mounts = new Map<string, { volume: string; readOnly: boolean }>();
  for (const v of service.volumes ?? []) {
    if (typeof v !== 'string') continue;
    const [source, target, mode] = v.split(':');
    if (source && target && c.volumes && source in c.volumes)
      mounts.set(target, { volume: source, readOnly: (mode ?? '').split(',').includes('ro') });
  }
  return mounts;
}

/**
 * What keeps the support services from speaking FTPS to the ftp service (empty: nothing): they trust
 * the CA that compose/ftp/start.sh writes, through a volume both sides mount, and vsftpd refuses
 * plain logins with the certificate written there.
 */
function ftpsProblems(c: ComposeFile, conf: string, start: string): string[] {
  const problems: string[] = [];
  const tlsDir = /^tls=(\S+)$/m.exec(start)?.[1];
  if (!tlsDir || !start.includes('"$tls/ca.pem"'))
    return ['compose/ftp/start.sh: does not write $tls/ca.pem'];
  const server = namedMounts(c.services.ftp ?? {}, c).get(tlsDir);
  if (!server || server.readOnly) problems.push(`ftp: does not mount a named volume writable at ${tlsDir}`);
  for (const line of ['ssl_enable=YES', 'force_local_logins_ssl=YES', 'force_local_data_ssl=YES'])
    if (!new RegExp(`^${line}$`, 'm').test(conf)) problems.push(`vsftpd.conf: no ${line}`);
  if (!new RegExp(`^rsa_cert_file=${tlsDir}/`, 'm').test(conf))
    problems.push(`vsftpd.conf: rsa_cert_file is not under ${tlsDir}`);
  for (const name of ['support', 'support-loader']) {
    const env = environmentOf(c.services[name] ?? {});
    const tls = loadSettings(ftpSettings, env);
    if (!tls.ftpTls) problems.push(`${name}: ORDERFLOW_FTP_TLS is off`);
    const caDir = path.posix.dirname(tls.ftpCaFile);
    const mount = namedMounts(c.services[name] ?? {}, c).get(caDir);
    if (tls.ftpCaFile !== `${tlsDir}/ca.pem` || mount?.volume !== server?.volume)
      problems.push(`${name}: does not trust the ftp service's CA (${tlsDir}/ca.pem from its volume)`);
    else if (!mount?.readOnly) problems.push(`${name}: mounts the FTP certificates writable`);
  }
  return problems;
}

describe('the shop on docker-compose', () => {
  it('streams the shop database, runs stock, support and the API, wired to one another', () => {
    expect(shopProblems(compose)).toEqual([]);
    const broken = copy();
    broken.services.postgres!.command = ['postgres'];
    (broken.services.support!.environment as Record<string, string>).ORDERFLOW_FTP_PASSWORD = 'other';
    delete (broken.services['connect-deploy']!.depends_on as Record<string, unknown>)['shop-migrate'];
    expect(shopProblems(broken)).toEqual([
      'postgres: no wal_level=logical (the Debezium source needs logical decoding)',
      'connect-deploy: does not wait for shop-migrate (service_completed_successfully)',
      "support: its FTP login is not the ftp service's",
    ]);
  });

  it('builds Connect with the Debezium PostgreSQL source of the version the local stack pins', () => {
    const df = read('compose', 'connect', 'Dockerfile');
    expect(df).toContain('io.debezium:debezium-connector-postgres:${DEBEZIUM_JDBC_VERSION}:tar.gz:plugin');
    expect(df).toContain('/usr/share/confluent-hub-components/debezium-connector-postgres');
    const pom = read('stack', 'pom.xml');
    expect(pom).toMatch(
      /<artifactId>debezium-connector-postgres<\/artifactId>\s*<version>\$\{debezium\.version\}<\/version>/,
    );
    expect(pom).toContain(`<debezium.version>${vars.DEBEZIUM_JDBC_VERSION}</debezium.version>`);
  });

  it('runs the FTP server as vsftpd from its own pinned build, with one login from .env', () => {
    const ftp = compose.services.ftp!;
    expect(buildOf(ftp)?.args.FTP_BASE_IMAGE_TAG).toBe(vars.FTP_BASE_IMAGE_TAG);
    expect(read('compose', 'ftp', 'Dockerfile')).toMatch(/^FROM debian:\$\{FTP_BASE_IMAGE_TAG\}$/m);
    expect(read('compose', 'ftp', 'vsftpd.conf')).toMatch(/^pasv_min_port=21100$/m);
    expect(environmentOf(ftp)).toMatchObject({ FTP_USER: vars.FTP_USER, FTP_PASSWORD: vars.FTP_PASSWORD });
    expect(ftp.ports).toBeUndefined(); // reached on the compose network only
  });

  it('speaks FTPS: the support services trust the CA the FTP server writes into a volume they share', () => {
    const conf = read('compose', 'ftp', 'vsftpd.conf');
    const start = read('compose', 'ftp', 'start.sh');
    expect(ftpsProblems(compose, conf, start)).toEqual([]);
    expect(read('compose', 'ftp', 'Dockerfile')).toMatch(/install -y --no-install-recommends vsftpd openssl/);
    const broken = copy();
    broken.services['support-loader']!.volumes = [];
    (broken.services.support!.environment as Record<string, string>).ORDERFLOW_FTP_TLS = 'false';
    expect(ftpsProblems(broken, conf.replace('force_local_logins_ssl=YES', ''), start)).toEqual([
      'vsftpd.conf: no force_local_logins_ssl=YES',
      'support: ORDERFLOW_FTP_TLS is off',
      "support-loader: does not trust the ftp service's CA (/ftp-tls/ca.pem from its volume)",
    ]);
  });
});
