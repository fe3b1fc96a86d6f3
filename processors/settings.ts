import { z } from 'zod';
import { boolFlag, numberAbove, positiveInt, setting } from '../common/config.ts';
import { connectionSettings, httpSettings, instanceName, sharedSettings } from '../common/settings.ts';
import type { Stage } from '../schemas/types.generated.ts';
import { PROFILE_NAMES } from './profiles.ts';

/** Default HTTP port (/health, /ready, /metrics) per stage. */
export const DEFAULT_PORTS: Record<Stage, number> = { payment: 9301, shipping: 9302, delivery: 9303 };

/** Settings of a stage processor (`orderflow process <stage>`); flags override the variables. */
export function processorSettings(stage: Stage) {
  return {
    kafkaBootstrap: connectionSettings.kafkaBootstrap,
    registryUrl: connectionSettings.registryUrl,
    topicPrefix: connectionSettings.topicPrefix,
    replicationFactor: connectionSettings.replicationFactor,
    seed: sharedSettings.seed,
    profile: setting(
      'ORDERFLOW_PROFILE',
      z.enum(PROFILE_NAMES as [string, ...string[]]),
      'default',
      'Outcome rates: "default" (the per-stage rates of docs/design.md section 5) or "historical" (~92% delivered overall).',
      { flag: '--profile <name>' },
    ),
    speed: setting(
      'ORDERFLOW_SPEED',
      numberAbove(0, true),
      0,
      'Live pacing: simulated seconds per real second (60 = one simulated hour per minute); 0 = backfill, never wait.',
      { flag: '--speed <factor>' },
    ),
    anchor: setting(
      'ORDERFLOW_SPEED_ANCHOR',
      z.union([z.coerce.number().int().nonnegative(), z.iso.datetime({ offset: true })], {
        error: 'an ISO 8601 time with a zone or epoch milliseconds',
      }),
      '',
      "Live pacing: the wall-clock instant (ISO 8601 or epoch ms) at which simulated time equals real time; use the live generator's start. Default: this process's start.",
      { flag: '--anchor <time>' },
    ),
    releaseIntervalMs: setting(
      'ORDERFLOW_RELEASE_INTERVAL_MS',
      positiveInt,
      200,
      'Live pacing: how often held outputs that have become due are released (ms).',
      { flag: '--release-interval-ms <ms>' },
    ),
    instanceId: sharedSettings.instanceId,
    group: setting(
      'ORDERFLOW_GROUP',
      instanceName,
      '',
      'Consumer group of the stage (default: <topic prefix>orderflow-<stage>).',
      { flag: '--group <id>' },
    ),
    ...httpSettings(DEFAULT_PORTS[stage]),
    batchSize: sharedSettings.batchSize,
    transactions: setting(
      'ORDERFLOW_TRANSACTIONS',
      boolFlag,
      true,
      'Exactly-once transactions (true). false = at-least-once, only for measuring what transactions cost.',
      { flag: '--no-transactions' },
    ),
  };
}

export type ProcessorSettings = {
  [K in keyof ReturnType<typeof processorSettings>]: ReturnType<typeof processorSettings>[K]['default'];
};
