import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Directories shipped next to the code (package.json "files"): `images/` holds the construct,
 * DinD and jackin-layer recipes, `roles/` the built-in roles. Found relative to this module,
 * which lives at src/images/ under vitest and dist/src/images/ when built.
 */
export function assetDir(name: 'images' | 'roles'): string {
  for (const candidate of [`../../../${name}/`, `../../${name}/`]) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path.replace(/\/$/, '');
  }
  throw new Error(`jackin's ${name}/ directory is missing from the installation`);
}
