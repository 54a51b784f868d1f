import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../config/atomic-write.js';
import { JackinError } from '../kernel/errors.js';
import { LEGACY_MANIFEST_FILE, MANIFEST_FILE, MANIFEST_VERSION } from './manifest-schema.js';

/**
 * Restamps a manifest's `version` to the current one, keeping every other byte (comments,
 * order). All manifest migrations so far are restamps: no field changed meaning.
 */
export function restampManifest(text: string): string {
  const line = /^(\s*version\s*=\s*)(["'])[^"']*\2(.*)$/m;
  if (line.test(text))
    return text.replace(
      line,
      (_, head: string, quote: string, tail: string) => `${head}${quote}${MANIFEST_VERSION}${quote}${tail}`,
    );
  return `version = "${MANIFEST_VERSION}"\n${text}`;
}

/** `jackin role migrate`: rewrites the manifest at the current version (a legacy file name is kept). */
export async function migrateManifestFile(dir: string): Promise<{ file: string; changed: boolean }> {
  for (const name of [MANIFEST_FILE, LEGACY_MANIFEST_FILE]) {
    const file = join(dir, name);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const next = restampManifest(text);
    if (next !== text) await writeFileAtomic(file, next);
    return { file, changed: next !== text };
  }
  throw new JackinError('not_found', `no ${MANIFEST_FILE} in ${dir}`, {
    hint: 'run it in a role repo, or pass its path',
  });
}
