/**
 * docker-compose.yml carries the shop around the order chain as the local stack runs it: the shop
 * database with logical decoding and its Debezium source, the stock service, the support desk with
 * its FTP server, and the order API. Checked without a Docker engine, each on a broken copy too.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { ftpSettings } from '../../../common/ftp-settings.ts';
import { shopDatabaseSetting } from '../../../common/settings.ts';
import { buildOf } from './compose-checks.ts';
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
});
