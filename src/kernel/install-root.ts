import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Install {
  readonly root: string;
  readonly version: string;
}

let found: Install | undefined;

/**
 * The jackin installation this code runs from: the nearest folder above this module whose
 * package.json is jackin's. The same walk works from every layout the code is loaded in — src/
 * under vitest, dist/src/ (tsc) for the benches, dist/bundle/ (the bundled CLI, ADR 0027) — so the
 * shipped folders (`images/`, `roles/`, `bin/`) are found by name, never by counting `../`.
 */
function install(): Install {
  if (found) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown };
        if (parsed.name === 'jackin')
          return (found = {
            root: dir,
            version: typeof parsed.version === 'string' ? parsed.version : '0.0.0-dev',
          });
      } catch {
        // not jackin's manifest: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error("jackin's package.json was not found above its code: the installation is broken");
    dir = parent;
  }
}

/** The installation's root folder (holds package.json, bin/, images/, roles/). */
export function installRoot(): string {
  return install().root;
}

/** The installed package version. */
export function installVersion(): string {
  return install().version;
}

/** A shipped path under the installation root, or undefined when it is not there. */
export function shippedPath(...parts: string[]): string | undefined {
  const path = join(installRoot(), ...parts);
  return existsSync(path) ? path : undefined;
}
