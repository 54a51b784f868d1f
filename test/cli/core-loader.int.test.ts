import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { codeCacheDir, commandWord } from '../../src/cli/core-loader.js';
import { BIN } from '../helpers/run-cli.js';

// The loader the bundled CLI's entry uses (ADR 0029). Each case runs it in a fresh node process, as
// the CLI does: the cache is written when that process exits.
const LOADER = new URL('../../dist/src/cli/core-loader.js', import.meta.url).href;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jackin-code-cache-'));
  dirs.push(dir);
  return dir;
}

/**
 * A CommonJS core like the bundle's: exports, a require, and its import()s as scripts/bundle.js
 * rewrites them (a chunk beside it, a builtin).
 */
function fixture(dir: string): string {
  const file = join(dir, 'jackin-core-0123456789ab.cjs');
  mkdirSync(join(dir, 'chunks'));
  writeFileSync(join(dir, 'chunks', 'lazy.js'), 'export const lazy = "chunk";\n');
  writeFileSync(
    file,
    `const { join } = require('node:path');
exports.answer = 42;
exports.joined = join('a', 'b');
exports.later = async () => (await __jackinImport('./chunks/lazy.js')).lazy + ':' + typeof (await __jackinImport('node:path')).join;
exports.client = () => [__jackinScript('client')?.name, __jackinScript('client') === __jackinScript('client'), __jackinScript('nope')];
`,
  );
  writeFileSync(join(dir, 'client-0123456789ab.cjs'), "exports.name = 'client';\n");
  return file;
}

function load(core: string, env: NodeJS.ProcessEnv, command = 'load'): Record<string, unknown> {
  const script = `
    const { loadCore } = await import(${JSON.stringify(LOADER)});
    const { exports, cache } = loadCore(${JSON.stringify(pathToFileURL(core).href)}, {
      scripts: { client: './client-0123456789ab.cjs' },
    });
    process.stdout.write(JSON.stringify({ cache, answer: exports.answer, joined: exports.joined, later: await exports.later(), client: exports.client() }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, 'jackin', command], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out) as Record<string, unknown>;
}

// `client`: another script of the bundle, loaded once through __jackinScript; an unknown name is undefined
const works = { answer: 42, joined: 'a/b', later: 'chunk:function', client: ['client', true, null] };

describe('the core loader (V8 code cache)', () => {
  it('compiles from source once, then from the cache; a new command rewrites it once', () => {
    const dir = scratch();
    const cache = join(dir, 'cache');
    const core = fixture(dir);
    const env = { JACKIN_CODE_CACHE_DIR: cache };
    expect(load(core, env)).toEqual({ cache: 'miss', ...works });
    const base = `jackin-core-0123456789ab-${process.version}-${process.arch}`;
    const client = `client-0123456789ab-${process.version}-${process.arch}`;
    expect(readdirSync(cache).sort()).toEqual([
      `${client}.bin`,
      `${client}.commands.json`,
      `${base}.bin`,
      `${base}.commands.json`,
    ]);
    expect(JSON.parse(readFileSync(join(cache, `${base}.commands.json`), 'utf8'))).toEqual(['load']);
    expect(load(core, env)).toEqual({ cache: 'hit', ...works });
    expect(load(core, env, 'status')).toEqual({ cache: 'hit', ...works });
    expect(JSON.parse(readFileSync(join(cache, `${base}.commands.json`), 'utf8'))).toEqual([
      'load',
      'status',
    ]);
  });

  it('a damaged cache is rejected and rewritten; the code still runs', () => {
    const dir = scratch();
    const cache = join(dir, 'cache');
    const core = fixture(dir);
    const env = { JACKIN_CODE_CACHE_DIR: cache };
    load(core, env);
    const bin = join(cache, `jackin-core-0123456789ab-${process.version}-${process.arch}.bin`);
    writeFileSync(bin, Buffer.from('not a V8 code cache, just bytes'));
    expect(load(core, env)).toEqual({ cache: 'rejected', ...works });
    expect(load(core, env)).toEqual({ cache: 'hit', ...works });
  });

  it('JACKIN_CODE_CACHE=0 turns it off; an unwritable directory only costs the cache', () => {
    const dir = scratch();
    const core = fixture(dir);
    expect(load(core, { JACKIN_CODE_CACHE: '0', JACKIN_CODE_CACHE_DIR: join(dir, 'cache') })).toEqual({
      cache: 'off',
      ...works,
    });
    expect(readdirSync(dir).sort()).toEqual([
      'chunks',
      'client-0123456789ab.cjs',
      'jackin-core-0123456789ab.cjs',
    ]);
    // a file where the directory should be: nothing can be written, the command still works
    writeFileSync(join(dir, 'blocked'), '');
    const env = { JACKIN_CODE_CACHE_DIR: join(dir, 'blocked', 'cache') };
    expect(load(core, env)).toEqual({ cache: 'miss', ...works });
    expect(load(core, env)).toEqual({ cache: 'miss', ...works });
  });

  it('the CLI writes its cache where JACKIN_CODE_CACHE_DIR says', () => {
    const cache = join(scratch(), 'cache');
    const version = execFileSync(process.execPath, [BIN, '--version'], {
      env: { ...process.env, JACKIN_CODE_CACHE_DIR: cache },
      encoding: 'utf8',
    });
    expect(version.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(readdirSync(cache).some((f) => /^jackin-core-[0-9a-f]{12}-v[\d.]+-\w+\.bin$/.test(f))).toBe(true);
  });
});

describe('core loader helpers', () => {
  it('names the command word, or none', () => {
    expect(commandWord(['node', 'jackin', 'load', 'role'])).toBe('load');
    expect(commandWord(['node', 'jackin', '--debug', 'status', '--json'])).toBe('status');
    expect(commandWord(['node', 'jackin', '--version'])).toBe('');
    expect(commandWord(['node', 'jackin', '/some/path'])).toBe('');
  });

  it('caches per user, under XDG_CACHE_HOME when set', () => {
    expect(codeCacheDir({ JACKIN_CODE_CACHE: '0' })).toBeUndefined();
    expect(codeCacheDir({ JACKIN_CODE_CACHE_DIR: '/x' })).toBe('/x');
    expect(codeCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/jackin/code-cache');
  });
});
