/**
 * Static checks of the compose file's bind mounts: LF line endings on every checkout (.gitattributes)
 * and SELinux labels. Pure.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isHostPath, type ComposeFile, type Service } from './compose-model.ts';

/** A service's bind mounts: host source, container target, options (`ro`, `z`, ...). */
export function bindMounts(s: Service): { source: string; target: string; options: string[] }[] {
  const mounts: { source: string; target: string; options: string[] }[] = [];
  for (const v of s.volumes ?? []) {
    if (typeof v === 'string') {
      const [source = '', target = '', options = ''] = v.split(':');
      if (isHostPath(source)) mounts.push({ source, target, options: options.split(',').filter(Boolean) });
    } else if (v.type === 'bind' || (v.source !== undefined && isHostPath(v.source))) {
      const long = v as {
        source?: string;
        target?: string;
        read_only?: boolean;
        bind?: { selinux?: string };
      };
      const options = [...(long.read_only ? ['ro'] : []), ...(long.bind?.selinux ? [long.bind.selinux] : [])];
      mounts.push({ source: long.source ?? '', target: long.target ?? '', options });
    }
  }
  return mounts;
}

// ---------------------------------------------------------------------------------------------------
// Restarts: a long-running service comes back after a Docker or host restart.

/** The `eol` a path gets from .gitattributes (last matching line wins), or undefined. */
export function eolOf(gitattributes: string, file: string): string | undefined {
  let eol: string | undefined;
  const posix = file.split(path.sep).join('/');
  for (const raw of gitattributes.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [pattern = '', ...attrs] = line.split(/\s+/);
    const glob = pattern.replace(/^\//, '');
    const subject = glob.includes('/') ? posix : path.posix.basename(posix);
    const re = new RegExp(
      `^${glob
        .split('**')
        .map((part) =>
          part
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
        )
        .join('.*')}$`,
    );
    if (!re.test(subject)) continue;
    for (const a of attrs) {
      if (a.startsWith('eol=')) eol = a.slice(4);
      else if (a === 'binary' || a === '-text') eol = undefined;
    }
  }
  return eol;
}

/** Every file under the compose file's bind mounts, relative to the root (docs left out). */
export function boundFiles(compose: ComposeFile, root: string): string[] {
  const files = new Set<string>();
  const walk = (rel: string) => {
    const abs = path.resolve(root, rel);
    if (statSync(abs).isDirectory()) {
      for (const entry of readdirSync(abs)) walk(path.join(rel, entry));
    } else if (!rel.endsWith('.md')) files.add(path.normalize(rel));
  };
  for (const s of Object.values(compose.services)) for (const m of bindMounts(s)) walk(m.source);
  return [...files].sort();
}

export function lineEndingProblems(gitattributes: string | undefined, files: string[]): string[] {
  if (gitattributes === undefined) return ['no .gitattributes: bind-mounted scripts get CRLF on Windows'];
  return files
    .filter((f) => eolOf(gitattributes, f) !== 'lf')
    .map((f) => `${f}: bind-mounted, but .gitattributes does not check it out with eol=lf`);
}

export function selinuxProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(compose.services)) {
    for (const m of bindMounts(s)) {
      if (!m.options.some((o) => o === 'z' || o === 'Z'))
        problems.push(`${name}: bind mount ${m.source} without :z, unreadable on SELinux hosts`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Kafka: the advertised address for the Docker host is the one its port is published on.
