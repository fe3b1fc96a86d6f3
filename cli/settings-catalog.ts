import type { SettingsSpec } from '../common/config.ts';
import { shownDefault } from '../common/setting-flags.ts';
import { benchSettings } from '../bench/command.ts';
import { connectionSettings } from '../common/settings.ts';
import { sinkSettings, reconcileSettings } from '../connect/settings.ts';
import { dashboardSettings } from '../dashboard/settings.ts';
import { processorSettings } from '../processors/settings.ts';
import { generatorSettings } from '../producer/settings.ts';
import { splitterSettings } from '../splitter/settings.ts';
import { stackSettings } from '../stack/settings.ts';
import { supportLoadSettings, supportSettings } from '../support/settings.ts';
import { warehouseSettings } from '../warehouse/settings.ts';
import { shopSettings } from '../shop/settings.ts';
import { stockSettings } from '../stock/settings.ts';
import { storefrontSettings } from '../storefront/settings.ts';
import { runSettings } from './run.ts';
import { apiSettings } from '../api/settings.ts';

export interface SettingRow {
  env: string;
  default: string;
  doc: string;
  /** The commands that read it. */
  usedBy: string[];
  /** Its flag, the same on every command that has one ("--seed"). */
  flag?: string;
}

/**
 * Every environment setting of every command, once, with the commands that read it: the source of
 * `orderflow config` and of the README's configuration tables (a unit test holds the two together).
 */
export function settingsCatalog(): SettingRow[] {
  // Each command and its settings; the rows keep this order.
  const groups: Record<string, SettingsSpec> = {
    all: connectionSettings,
    stack: stackSettings,
    generate: generatorSettings,
    process: processorSettings('payment'),
    split: splitterSettings,
    connect: sinkSettings,
    reconcile: reconcileSettings,
    warehouse: warehouseSettings,
    dashboard: dashboardSettings,
    run: runSettings,
    'support simulate': supportSettings,
    'support load': supportLoadSettings,
    bench: benchSettings,
    shop: shopSettings,
    stock: stockSettings,
    storefront: storefrontSettings,
    api: apiSettings,
  };
  const rows = new Map<string, SettingRow>();
  for (const [command, spec] of Object.entries(groups)) {
    for (const s of Object.values(spec)) {
      // Defaults drawn from this machine are shown as what they are made of.
      const r = { env: s.env, default: shownDefault(s.default), doc: s.doc, flag: s.flag?.split(' ')[0] };
      const row = rows.get(r.env);
      if (row) {
        if (!row.usedBy.includes('all') && !row.usedBy.includes(command)) row.usedBy.push(command);
      } else {
        rows.set(r.env, { ...r, usedBy: [command] });
      }
    }
  }
  return [...rows.values()];
}
