import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Roles shipped in the package's `roles/` folder: always present, always trusted, no network needed. */
export const BUILTIN_ROLES = ['agent-smith'] as const;

export function isBuiltinRole(key: string): boolean {
  return (BUILTIN_ROLES as readonly string[]).includes(key);
}

/** The package's `roles/` folder (src/roles/ under vitest, dist/src/roles/ when built). */
export function builtinRolesDir(): string {
  for (const candidate of ['../../../roles/', '../../roles/']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(join(path, BUILTIN_ROLES[0]))) return path.replace(/\/$/, '');
  }
  return fileURLToPath(new URL('../../roles', import.meta.url));
}
