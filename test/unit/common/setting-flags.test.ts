/**
 * Flags made from settings: help from the setting's doc, the flag over the variable over the
 * default, one validator for both, and one spelling of each setting's flag on every command.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { setting } from '../../../common/config.ts';
import { OrderflowError } from '../../../common/errors.ts';
import { addSettingFlags, loadCommandSettings, settingHelp } from '../../../common/setting-flags.ts';
import { sharedSettings } from '../../../common/settings.ts';
import { boolFlag } from '../../../common/config.ts';
import { benchSettings } from '../../../bench/command.ts';
import { planRun, register as registerRun, runSettings } from '../../../cli/run.ts';
import { stepFailed } from '../../../cli/run-steps.ts';
import { processorSettings } from '../../../processors/settings.ts';
import { register as registerGenerate } from '../../../producer/command.ts';
import { generatorSettings } from '../../../producer/settings.ts';
import { splitterSettings } from '../../../splitter/settings.ts';

const spec = {
  seed: sharedSettings.seed,
  transactions: setting('ORDERFLOW_T_TRANSACTIONS', boolFlag, true, 'Transactions.', {
    flag: '--no-transactions',
  }),
};

/** Parse `argv` with a command carrying `spec`'s flags; return what the settings load to. */
async function load(argv: string[], env: NodeJS.ProcessEnv) {
  const program = new Command().exitOverride();
  let loaded: unknown;
  const cmd = program.command('x');
  addSettingFlags(cmd, spec, ['seed', 'transactions']).action((_o: unknown, c: Command) => {
    loaded = loadCommandSettings(spec, c, env);
  });
  await program.parseAsync(['x', ...argv], { from: 'user' });
  return loaded as { seed: number; transactions: boolean };
}

function configError(fn: () => unknown): Promise<OrderflowError> {
  return Promise.resolve()
    .then(fn)
    .then(
      () => {
        throw new Error('expected ORDERFLOW_CONFIG_INVALID');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(OrderflowError);
        expect((error as OrderflowError).code).toBe('ORDERFLOW_CONFIG_INVALID');
        return error as OrderflowError;
      },
    );
}

describe('flags made from settings', () => {
  it('help is the setting doc, its variable and its default', () => {
    expect(settingHelp(sharedSettings.seed)).toBe(`${sharedSettings.seed.doc} (ORDERFLOW_SEED, default 1)`);
    const program = new Command();
    addSettingFlags(program.command('x'), spec, ['seed']);
    const help = program.commands[0]!.helpInformation().replace(/\s+/g, ' ');
    expect(help).toContain('--seed <n>');
    expect(help).toContain('(ORDERFLOW_SEED, default 1)');
  });

  it('the flag wins over the variable, the variable over the default', async () => {
    expect((await load([], {})).seed).toBe(1);
    expect((await load([], { ORDERFLOW_SEED: '7' })).seed).toBe(7);
    expect((await load(['--seed', '3'], { ORDERFLOW_SEED: '7' })).seed).toBe(3);
  });

  it('an untyped negatable flag leaves the variable in charge', async () => {
    expect((await load([], { ORDERFLOW_T_TRANSACTIONS: 'false' })).transactions).toBe(false);
    expect((await load([], {})).transactions).toBe(true);
    expect((await load(['--no-transactions'], { ORDERFLOW_T_TRANSACTIONS: 'true' })).transactions).toBe(
      false,
    );
  });

  it('one validator: --seed -1 and ORDERFLOW_SEED=-1 are refused alike, naming the flag and the variable', async () => {
    const byFlag = await configError(() => load(['--seed', '-1'], {}));
    expect(byFlag.message).toMatch(
      /^--seed "-1" \(ORDERFLOW_SEED\) is not valid: an integer of at least 0\./,
    );
    expect(byFlag.context).toMatchObject({
      setting: 'seed',
      env: 'ORDERFLOW_SEED',
      flag: '--seed',
      value: '-1',
      allowed: 'an integer of at least 0',
    });
    const byEnv = await configError(() => load([], { ORDERFLOW_SEED: '-1' }));
    expect(byEnv.message).toMatch(/^ORDERFLOW_SEED="-1" is not valid: an integer of at least 0\./);
    expect(byEnv.context).toMatchObject({ env: 'ORDERFLOW_SEED', value: '-1' });
    expect(byEnv.context).not.toHaveProperty('flag');
  });

  it('every command that takes a seed, a batch size or an instance id shares its definition', () => {
    expect(generatorSettings.seed).toBe(sharedSettings.seed);
    expect(processorSettings('payment').seed).toBe(sharedSettings.seed);
    expect(runSettings.seed).toBe(sharedSettings.seed);
    expect(benchSettings.seed).toBe(sharedSettings.seed);
    expect(processorSettings('shipping').batchSize).toBe(sharedSettings.batchSize);
    expect(splitterSettings.batchSize).toBe(sharedSettings.batchSize);
    expect(benchSettings.batchSize).toBe(sharedSettings.batchSize);
    expect(processorSettings('delivery').instanceId).toBe(sharedSettings.instanceId);
    expect(splitterSettings.instanceId.schema).toBe(sharedSettings.instanceId.schema);
    expect(splitterSettings.instanceId.env).toBe('ORDERFLOW_INSTANCE_ID');
  });

  it('a retired variable stops start-up with a pointer to its successor', async () => {
    const error = await configError(() =>
      loadCommandSettings(splitterSettings, new Command(), { ORDERFLOW_SPLITTER_BATCH_SIZE: '50' }),
    );
    expect(error.message).toMatch(
      /ORDERFLOW_SPLITTER_BATCH_SIZE is no longer read: set ORDERFLOW_BATCH_SIZE/,
    );
    expect(error.context).toMatchObject({
      env: 'ORDERFLOW_SPLITTER_BATCH_SIZE',
      replacedBy: 'ORDERFLOW_BATCH_SIZE',
    });
  });
});

describe('the seed on run and generate', () => {
  /** Register `registrar`, replace the command's action by `capture`, parse `argv`. */
  async function parsed<T>(
    registrar: (p: Command) => void,
    name: string,
    argv: string[],
    capture: (opts: Record<string, unknown>, c: Command) => T,
  ): Promise<T> {
    const program = new Command().exitOverride();
    registrar(program);
    let out: T | undefined;
    program.commands
      .find((c) => c.name() === name)!
      .action((opts: Record<string, unknown>, c: Command) => {
        out = capture(opts, c);
      });
    await program.parseAsync([name, ...argv], { from: 'user' });
    return out!;
  }

  const runPlan = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
    parsed(registerRun, 'run', argv, (o, c) => planRun(o as never, c, env));
  const generateSettings = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
    parsed(registerGenerate, 'generate', argv, (_o, c) => loadCommandSettings(generatorSettings, c, env));

  it('--seed 0 is accepted by run and generate', async () => {
    expect((await runPlan(['--seed', '0'])).seed).toBe(0);
    expect((await generateSettings(['--seed', '0'])).seed).toBe(0);
  });

  it('ORDERFLOW_SEED means the same to run and generate', async () => {
    expect((await runPlan([], { ORDERFLOW_SEED: '7' })).seed).toBe(7);
    expect((await generateSettings([], { ORDERFLOW_SEED: '7' })).seed).toBe(7);
  });

  it('--seed -1 is refused by run and generate alike', async () => {
    const a = await configError(() => runPlan(['--seed', '-1']));
    const b = await configError(() => generateSettings(['--seed', '-1']));
    expect(a.message).toBe(b.message);
    expect(a.message).toMatch(/--seed "-1" \(ORDERFLOW_SEED\)/);
  });

  it("run's dashboard port is the dashboard's setting, spelled --dashboard-port", async () => {
    expect((await runPlan([], { ORDERFLOW_DASHBOARD_PORT: '9000' })).dashboardPort).toBe(9000);
    expect((await runPlan(['--dashboard-port', '9001'])).dashboardPort).toBe(9001);
    const bad = await configError(() => runPlan(['--dashboard-port', '0']));
    expect(bad.message).toMatch(/^--dashboard-port "0" \(ORDERFLOW_DASHBOARD_PORT\)/);
  });

  it("run's dashboard may write unless --no-dashboard-writes, and the dashboard's own variable wins", async () => {
    expect((await runPlan([])).dashboardWrites).toBe(true);
    expect((await runPlan(['--no-dashboard-writes'])).dashboardWrites).toBe(false);
    expect((await runPlan([], { ORDERFLOW_DASHBOARD_ALLOW_WRITES: 'true' })).dashboardWrites).toBe(true);
    expect(
      (await runPlan(['--no-dashboard-writes'], { ORDERFLOW_DASHBOARD_ALLOW_WRITES: 'true' }))
        .dashboardWrites,
    ).toBe(true);
    expect((await runPlan([], { ORDERFLOW_DASHBOARD_ALLOW_WRITES: 'false' })).dashboardWrites).toBe(false);
  });

  it('run starts the TypeScript splitter by default, the Flink split job with --splitter flink, never both', async () => {
    const plain = await runPlan([]);
    expect(plain.splitter).toBe('typescript');
    expect(plain.flink).toBe(true);
    // The services besides the stages, the splitter and the generator, the same in both plans.
    const others = ['support', 'support-loader', 'stock', 'connect-watchdog', 'dashboard', 'api'];
    expect(plain.services).toEqual([
      'payment',
      'shipping',
      'delivery',
      'storefront',
      'splitter',
      ...others,
      'generator',
    ]);
    const flink = await runPlan(['--splitter', 'flink', '--no-live']);
    expect(flink.splitter).toBe('flink');
    expect(flink.services).toEqual(['payment', 'shipping', 'delivery', 'storefront', ...others]);
    expect((await runPlan([], { ORDERFLOW_RUN_SPLITTER: 'flink' })).splitter).toBe('flink');
    expect(
      (await runPlan(['--splitter', 'typescript'], { ORDERFLOW_RUN_SPLITTER: 'flink' })).services,
    ).toContain('splitter');
  });

  it('a bad --splitter names the flag, the variable and the choices; flink with ORDERFLOW_FLINK=off is refused', async () => {
    const bad = await configError(() => runPlan(['--splitter', 'ksql']));
    expect(bad.message).toMatch(/--splitter "ksql" \(ORDERFLOW_RUN_SPLITTER\) is not valid/);
    expect(bad.message).toMatch(/typescript/);
    expect(bad.message).toMatch(/flink/);
    await expect(runPlan(['--splitter', 'flink'], { ORDERFLOW_FLINK: 'off' })).rejects.toMatchObject({
      code: 'ORDERFLOW_USAGE',
      message: expect.stringMatching(/ORDERFLOW_FLINK=off/),
    });
    expect((await runPlan([], { ORDERFLOW_FLINK: 'off' })).flink).toBe(false);
  });

  it('a failed run step carries its name, exit code and log', () => {
    const error = stepFailed(
      'warehouse-migrate',
      ['warehouse', 'migrate'],
      1,
      '/tmp/logs/warehouse-migrate.log',
      'boom',
    );
    expect(error.code).toBe('ORDERFLOW_RUN_STEP_FAILED');
    expect(error.context).toEqual({
      step: 'warehouse-migrate',
      command: 'orderflow warehouse migrate',
      exitCode: 1,
      log: '/tmp/logs/warehouse-migrate.log',
    });
    expect(error.message).toContain('/tmp/logs/warehouse-migrate.log');
  });
});
