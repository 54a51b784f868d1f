import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUTH_MODES } from '../../src/config/runtimes.js';
import { MANIFEST_VERSION } from '../../src/roles/manifest-schema.js';
import { AUTH_MODE_NAMES } from '../../src/cli/commands/config-auth.js';
import { CURRENT_MANIFEST_VERSION } from '../../src/cli/commands/role-migrate.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

// A static value import or re-export (type-only ones are erased by tsc and cost nothing at run time).
const STATIC_IMPORT =
  /^\s*(?:import|export)\s+(?!type\b)[^'";]*?\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

/** Every module `entry` loads before any code runs: its static import graph, as src paths and packages. */
function staticGraph(entry: string): { files: string[]; packages: Map<string, string> } {
  const files = new Map<string, string | undefined>();
  const packages = new Map<string, string>();
  const chain = (file: string | undefined): string => {
    const out: string[] = [];
    for (let at = file; at; at = files.get(at)) out.unshift(relative(SRC, at));
    return out.join(' > ');
  };
  const visit = (file: string, from: string | undefined): void => {
    if (files.has(file)) return;
    files.set(file, from);
    for (const match of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const spec = match[1] ?? match[2] ?? '';
      if (spec.startsWith('.')) {
        const base = resolve(dirname(file), spec).replace(/\.js$/, '');
        const target = [`${base}.ts`, `${base}.tsx`].find((p) => existsSync(p));
        if (target) visit(target, file);
      } else if (!spec.startsWith('node:')) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, chain(file));
      }
    }
  };
  visit(resolve(SRC, entry), undefined);
  return { files: [...files.keys()].map((f) => relative(SRC, f)), packages };
}

describe('CLI startup stays lazy', () => {
  // `jackin --version`, `--help` and flag errors load only this graph; every command's engine,
  // Docker client, SQLite, the event catalog, Ink and Octokit are imported inside its action.
  it('the entry point and every command registration load no package but commander', () => {
    const { packages } = staticGraph('cli/main.ts');
    const extra = [...packages].filter(([name]) => name !== 'commander');
    expect(extra.map(([name, via]) => `${name} (via ${via})`)).toEqual([]);
  });

  it('nothing under src/app (the composition root) is imported statically by the CLI', () => {
    const { files } = staticGraph('cli/main.ts');
    expect(files.filter((f) => f.startsWith('app/'))).toEqual([]);
  });

  it('the instance deps load no image builder, agent adapter or doctor until a launch uses them', () => {
    const { files } = staticGraph('app/instances.ts');
    expect(
      files.filter((f) => /^(images\/image-service|agents\/|app\/images|app\/doctor-deps)/.test(f)),
    ).toEqual([]);
  });

  it('constants spelled out for registration equal their sources', () => {
    expect(AUTH_MODE_NAMES).toEqual(AUTH_MODES);
    expect(CURRENT_MANIFEST_VERSION).toBe(MANIFEST_VERSION);
  });
});
