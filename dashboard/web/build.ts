/**
 * Builds the dashboard front end into dashboard/web/dist: esbuild bundles src/main.ts (chart.js
 * included, nothing loaded from a CDN at run time) and the page and stylesheet are copied beside it.
 * Usage: npm run build:web  (or: npx tsx dashboard/web/build.ts [--dev] for a non-minified bundle)
 */
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const out = `${here}dist`;
const dev = process.argv.includes('--dev');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const started = performance.now();
await build({
  entryPoints: [`${here}src/main.ts`],
  bundle: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  outfile: `${out}/app.js`,
  logLevel: 'warning',
  legalComments: 'linked',
});
copyFileSync(`${here}index.html`, `${out}/index.html`);
copyFileSync(`${here}styles.css`, `${out}/styles.css`);
const kb = (f: string) => (statSync(`${out}/${f}`).size / 1024).toFixed(1);
console.log(
  `dashboard front end built in ${Math.round(performance.now() - started)} ms: ${out} (app.js ${kb('app.js')} KiB, index.html, styles.css)`,
);
