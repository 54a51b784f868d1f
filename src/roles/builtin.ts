import { join } from 'node:path';
import { installRoot } from '../kernel/install-root.js';

/** Roles shipped in the package's `roles/` folder: always present, always trusted, no network needed. */
export const BUILTIN_ROLES = ['agent-smith'] as const;

export function isBuiltinRole(key: string): boolean {
  return (BUILTIN_ROLES as readonly string[]).includes(key);
}

/** The package's `roles/` folder. */
export function builtinRolesDir(): string {
  return join(installRoot(), 'roles');
}
