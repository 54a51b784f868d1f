import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { byCodeUnit } from '../kernel/order.js';

/** Bump when the meaning of a recipe changes, so every existing image is rebuilt once. */
export const RECIPE_VERSION = 1;

/** Hex SHA-256 of a canonical JSON encoding (object keys sorted at every depth). */
export function recipeHash(recipe: unknown): string {
  return createHash('sha256').update(canonicalJson(recipe)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => byCodeUnit(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Hash of a directory's content: relative path, executable bit and bytes of every file, in path
 * order (`.git` skipped). Modification times are not inputs: only a content change rebuilds.
 */
export function hashDirectory(dir: string): string {
  const hash = createHash('sha256');
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      if (name === '.git') continue;
      const path = join(current, name);
      const stat = statSync(path);
      if (stat.isDirectory()) {
        walk(path);
        continue;
      }
      hash.update(`${relative(dir, path)}\0${stat.mode & 0o111 ? 'x' : '-'}\0`);
      hash.update(readFileSync(path));
      hash.update('\0');
    }
  };
  walk(dir);
  return hash.digest('hex');
}
