/**
 * The orderflow image's Dockerfile checked without a Docker engine: librdkafka built against Debian
 * libraries, a slim non-root runtime, `npm ci` possible, no devDependency needed at run time, and a
 * build context that keeps node_modules out and every runtime source in.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderFiles, read, SOURCE_FOLDERS } from './compose-fixture.ts';

describe('the orderflow image (Dockerfile)', () => {
  const text = read('Dockerfile');
  const stages = text.split(/^FROM /m).slice(1);
  const ignored = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

  it('builds librdkafka against Debian libraries and runs slim, as a non-root user', () => {
    expect(stages).toHaveLength(2);
    const [build, runtime] = stages as [string, string];
    expect(build).toMatch(/^node:\$\{NODE_VERSION\}-bookworm AS build/);
    for (const pkg of [
      'zlib1g-dev',
      'libssl-dev',
      'libzstd-dev',
      'libsasl2-dev',
      'liblz4-dev',
      'libcurl4-openssl-dev',
      'build-essential',
      'python3',
    ]) {
      expect([pkg, build.includes(` ${pkg}`)]).toEqual([pkg, true]);
    }
    expect(build).toMatch(/CKJS_LINKING=dynamic/);
    expect(build).toMatch(/npm ci\b/);
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(build).toMatch(/build:web/);
    expect(runtime).toMatch(/^node:\$\{NODE_VERSION\}-bookworm-slim/);
    for (const pkg of ['libssl3', 'libzstd1', 'libsasl2-2', 'liblz4-1', 'libcurl4', 'zlib1g']) {
      expect([pkg, runtime.includes(` ${pkg}`)]).toEqual([pkg, true]);
    }
    expect(runtime).toMatch(/^USER (?!root)\w+/m);
    expect(runtime).toContain('ENTRYPOINT ["node", "bin/orderflow.mjs"]');
    expect(runtime).toMatch(/^HEALTHCHECK [^]*?CMD \["node", "-e", "fetch\(/m);
    // Slim images have no curl: nothing may call it (libcurl4 the library is fine).
    const code = runtime
      .split('\n')
      .filter((l) => !l.trim().startsWith('#'))
      .join('\n');
    expect(code).not.toMatch(/\bcurl\b(?![\d-])/);
  });

  it('can `npm ci`: package-lock.json pins exactly what package.json asks for', () => {
    const pkg = JSON.parse(read('package.json')) as Record<string, Record<string, string> | undefined>;
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { version?: string } & Record<string, unknown>>;
    };
    for (const field of ['dependencies', 'devDependencies']) {
      expect([field, lock.packages['']![field]]).toEqual([field, pkg[field]]);
      for (const [name, version] of Object.entries(pkg[field] ?? {})) {
        expect([name, lock.packages[`node_modules/${name}`]?.version]).toEqual([name, version]);
      }
    }
  });

  it('needs no devDependency at run time (the image prunes them)', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    // What the image runs: the bin and every source folder (services and their shared modules).
    const folders = ['bin', ...SOURCE_FOLDERS];
    const imported = new Map<string, string>();
    // The browser code is bundled into static assets at build time, before the prune.
    const runtimeFiles = folderFiles(
      folders,
      (f) => /\.(ts|mjs|js)$/.test(f) && !f.startsWith(path.join('web', '')),
    );
    for (const { dir, file: f } of runtimeFiles) {
      const text = read(dir, f);
      const specs = [
        ...text.matchAll(/^\s*import\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm),
        ...text.matchAll(/^\s*export\s+(?!type\b)[^'"]*?\sfrom\s+['"]([^'"]+)['"]/gm),
        ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
      ].map((m) => m[1]!);
      for (const spec of specs) {
        if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!builtinModules.includes(name)) imported.set(name, path.join(dir, f));
      }
    }
    expect(imported.has('tsx')).toBe(true);
    const notProduction = [...imported].filter(([name]) => !(name in pkg.dependencies));
    expect(notProduction).toEqual([]);
  });

  it('keeps node_modules out of the build context and every runtime source in', () => {
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.git', '.orderflow']));
    // The folders the CLI loads its commands from, plus the files they read at run time.
    const cliFolders = [...read('cli', 'main.ts').matchAll(/import\('\.\.\/([\w-]+)\//g)].map((m) => m[1]!);
    expect(cliFolders.length).toBeGreaterThan(3);
    const runtime = [
      'bin',
      'cli',
      'common',
      'schemas',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      ...cliFolders,
    ];
    for (const p of runtime)
      expect([p, ignored.includes(p) || ignored.includes(`${p}/`)]).toEqual([p, false]);
    // `ENTRYPOINT` runs the bin the package declares.
    const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string> };
    expect(pkg.bin.orderflow).toBe('bin/orderflow.mjs');
  });
});
