import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../common/errors.ts';
import { settingsCatalog } from '../../../cli/settings-catalog.ts';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every environment setting', () => {
    const missing = settingsCatalog()
      .filter((r) => !README.includes(`| \`${r.env}\` |`))
      .map((r) => r.env);
    expect(missing).toEqual([]);
  });

  it('shows each setting with its default (when no ORDERFLOW_* port override shifts the defaults)', () => {
    const shifted = Object.keys(process.env).some((k) => /^ORDERFLOW_.*PORT$/.test(k));
    const wrong = settingsCatalog()
      .filter((r) => !shifted && !README.includes(`| \`${r.env}\` | \`${r.default}\` |`))
      .map((r) => `${r.env} (default ${r.default})`);
    expect(wrong).toEqual([]);
  });

  it("shows each setting's readers and flag (the same on every command that has it)", () => {
    const shifted = Object.keys(process.env).some((k) => /^ORDERFLOW_.*PORT$/.test(k));
    const row = (r: ReturnType<typeof settingsCatalog>[number]) =>
      `| \`${r.env}\` | \`${r.default}\` | ${r.usedBy.join(', ')} | ${r.flag ? `\`${r.flag}\`` : ''} |`;
    const wrong = settingsCatalog()
      .filter((r) => !shifted && !README.includes(row(r)))
      .map((r) => `${r.env} (used by ${r.usedBy.join(', ')}, flag ${r.flag ?? 'none'})`);
    expect(wrong).toEqual([]);
  });

  it('lists every error code', () => {
    const missing = Object.keys(ERROR_CODES).filter((code) => !README.includes(`| \`${code}\` |`));
    expect(missing).toEqual([]);
  });

  it('opens with the two commands: set up and run, set up and test', () => {
    const firstBlock = /```bash\n([\s\S]*?)```/.exec(README)![1]!;
    expect(firstBlock).toContain('scripts/setup.sh && npx orderflow run');
    expect(firstBlock).toContain('scripts/setup.sh && npm test');
  });
});
