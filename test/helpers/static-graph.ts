import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

// A static value import or re-export (type-only ones are erased by tsc and cost nothing at run time).
const STATIC_IMPORT =
  /^\s*(?:import|export)\s+(?!type\b)[^'";]*?\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

/**
 * Every module `entry` (a .ts file) loads before any of its code runs: its static import graph, as
 * paths relative to `root` and package names (each with the chain that reaches it). Dynamic
 * `import()` is not followed: that is what loading lazily means.
 */
export function staticGraph(root: string, entry: string): { files: string[]; packages: Map<string, string> } {
  const files = new Map<string, string | undefined>();
  const packages = new Map<string, string>();
  const chain = (file: string | undefined): string => {
    const out: string[] = [];
    for (let at = file; at; at = files.get(at)) out.unshift(relative(root, at));
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
  visit(resolve(root, entry), undefined);
  return { files: [...files.keys()].map((f) => relative(root, f)), packages };
}
