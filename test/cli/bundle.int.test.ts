import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';

// The CLI runs from the bundle `npm run build` writes (scripts/bundle.js, ADR 0027). These checks
// read the built files, so they need a build first, like every test that runs bin/jackin.js.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE = join(ROOT, 'dist', 'bundle');
const HEAVY = ['ink', 'react', 'react/jsx-runtime', 'octokit', 'kysely', 'p-queue'];

/** The packages a built file imports statically (`import … from "pkg"`), node: builtins left out. */
function staticPackages(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s(?:[^;"']*?\sfrom\s)?["']([^"'.][^"']*)["']/gm)]
    .map((m) => m[1]!)
    .filter((spec) => !spec.startsWith('node:'));
}

describe('the bundled CLI', () => {
  it('bin/jackin.js runs the bundle, not the tsc output', () => {
    expect(readFileSync(BIN, 'utf8')).toContain("'../dist/bundle/jackin.js'");
  });

  it('the entry loads jackin in one file and no heavy package at start', () => {
    expect(staticPackages(join(BUNDLE, 'jackin.js'))).toEqual(['better-sqlite3']);
    // the bundled packages are inside it, not loaded from node_modules
    const entry = readFileSync(join(BUNDLE, 'jackin.js'), 'utf8');
    expect(entry).not.toMatch(/from\s+["'](zod|commander|smol-toml)["']/);
  });

  it('each heavy package sits in a chunk of its own that only an import() reaches', () => {
    const chunks = readdirSync(join(BUNDLE, 'chunks')).filter((f) => f.endsWith('.js'));
    const entry = readFileSync(join(BUNDLE, 'jackin.js'), 'utf8');
    for (const chunk of chunks) {
      const heavy = staticPackages(join(BUNDLE, 'chunks', chunk)).filter((p) => HEAVY.includes(p));
      if (heavy.length === 0) continue;
      // the entry reaches it only through a dynamic import
      expect(entry).not.toMatch(new RegExp(`^import[^;]*["']\\./chunks/${chunk}["']`, 'm'));
      expect(entry).toContain(`import("./chunks/${chunk}")`);
    }
  });

  it('finds the shipped folders and the version from dist/bundle', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
      .version;
    expect(execFileSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' }).trim()).toBe(version);
  });
});
