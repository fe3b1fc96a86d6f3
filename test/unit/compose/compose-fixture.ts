/**
 * The repository's docker-compose.yml, loaded once for the compose test files, with a copy to break
 * on purpose and a reader of the source files the checks look through.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadRepoCompose, rootPath, type ComposeFile } from './compose-model.ts';

/** The folders of orderflow's TypeScript sources: its services and the modules they share. */
export { SOURCE_FOLDERS } from '../../../source-folders.js';

/** A file of the repository, by its path parts. */
export const read = (...p: string[]) => readFileSync(rootPath(...p), 'utf8');

export const { compose, vars, missing, yamlText } = loadRepoCompose();

/** A fresh copy to break on purpose. */
export const copy = (): ComposeFile => structuredClone(compose);

/** Every file under each folder (paths relative to it) that `keep` accepts; a missing folder has none. */
export function folderFiles(
  dirs: readonly string[],
  keep: (file: string) => boolean,
): { dir: string; file: string }[] {
  const out: { dir: string; file: string }[] = [];
  for (const dir of dirs) {
    let files: string[] = [];
    try {
      files = readdirSync(rootPath(dir), { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const file of files.filter(keep)) out.push({ dir, file });
  }
  return out;
}
