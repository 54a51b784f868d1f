import { isAscii } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';

// The CLI runs from the bundle `npm run build` writes (scripts/bundle.js, ADRs 0027 and 0029). These
// checks read the built files, so they need a build first, like every test that runs bin/jackin.js.
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

/** The CommonJS core the entry loads (ADR 0029): its name carries a hash of its content. */
function coreFile(): string {
  const cores = readdirSync(BUNDLE).filter((f) => /^jackin-core-[0-9a-f]{12}\.cjs$/.test(f));
  expect(cores).toHaveLength(1);
  return join(BUNDLE, cores[0]!);
}

/** The packages the core requires when it is evaluated (`let x = require("pkg")` at its top level). */
function requiredAtStart(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:let|const|var) [\w$]+ = (?:__toESM(?:\$\d+)?\()?require\("([^"]+)"\)/gm)]
    .map((m) => m[1]!)
    .filter((spec) => !spec.startsWith('node:'));
}

describe('the bundled CLI', () => {
  it('bin/jackin.js runs the bundle, not the tsc output', () => {
    expect(readFileSync(BIN, 'utf8')).toContain("'../dist/bundle/jackin.js'");
  });

  it('the entry loads jackin in one file, its core, and no heavy package at start', () => {
    const entry = readFileSync(join(BUNDLE, 'jackin.js'), 'utf8');
    expect(staticPackages(join(BUNDLE, 'jackin.js'))).toEqual([]);
    expect(entry).toContain("from '../src/cli/core-loader.js'");
    expect(entry).toContain(`loadCore(new URL('./${basename(coreFile())}', import.meta.url), {`);
    expect(requiredAtStart(coreFile())).toEqual([]);
    // the bundled packages are inside it, not loaded from node_modules; better-sqlite3's addon is
    // loaded by path (src/db/addon.ts), so its `bindings` helper is not needed either
    const core = readFileSync(coreFile(), 'utf8');
    expect(core).not.toMatch(/require\("(zod|commander|smol-toml|better-sqlite3)"\)/);
    expect(core).toContain('better-sqlite3/build/Release/better_sqlite3.node');
  });

  it('writes the code-cached scripts in ASCII, which the loader reads as one-byte text', () => {
    const scripts = readdirSync(BUNDLE).filter((f) => f.endsWith('.cjs'));
    expect(scripts).toHaveLength(2);
    for (const script of scripts) expect(isAscii(readFileSync(join(BUNDLE, script))), script).toBe(true);
    // an escaped character means what it did: `jackin workspace --help` still prints "×"
    const help = execFileSync(process.execPath, [BIN, 'workspace', '--help'], { encoding: 'utf8' });
    expect(help).toContain('workspace × role');
  });

  it("the core's import()s go through the loader (a code-cached script has no import hook)", () => {
    const core = readFileSync(coreFile(), 'utf8');
    expect(core).toMatch(/__jackinImport\("\.\/chunks\//);
    expect(core).not.toMatch(/[^\w$.]import\("\.\/chunks\//);
  });

  it('each heavy package sits in a chunk of its own that only an import() reaches', () => {
    const chunks = readdirSync(join(BUNDLE, 'chunks')).filter((f) => f.endsWith('.js'));
    const core = readFileSync(coreFile(), 'utf8');
    for (const chunk of chunks) {
      const heavy = staticPackages(join(BUNDLE, 'chunks', chunk)).filter((p) => HEAVY.includes(p));
      if (heavy.length === 0) continue;
      // the core reaches it only through a dynamic import
      expect(core).not.toMatch(new RegExp(`require\\("\\./chunks/${chunk}"\\)`));
      expect(core).toContain(`__jackinImport("./chunks/${chunk}")`);
    }
  });

  it('ships dockerode as one script, without the gRPC, ssh and protobuf stacks, which load on use', () => {
    const clients = readdirSync(BUNDLE).filter((f) => /^dockerode-[0-9a-f]{12}\.cjs$/.test(f));
    expect(clients).toHaveLength(1);
    expect(readFileSync(join(BUNDLE, 'jackin.js'), 'utf8')).toContain(`dockerode: './${clients[0]}'`);
    // An ssh:// engine (on a closed loopback port) is the one use of a deferred module: the stand-in
    // loads docker-modem's real ssh client then.
    const script = `
      const Docker = require(${JSON.stringify(join(BUNDLE, clients[0]!))});
      const heavy = () => Object.keys(require.cache).filter((k) => /node_modules\\/(@grpc|ssh2|protobufjs)\\//.test(k)).length > 0;
      const local = new Docker({ socketPath: '/nonexistent.sock' });
      const before = heavy();
      const ssh = new Docker({ protocol: 'ssh', host: '127.0.0.1', port: 1, username: 'nobody' });
      ssh.ping().catch(() => process.stdout.write(JSON.stringify({ type: typeof local.ping, before, after: heavy() })));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as unknown;
    expect(out).toEqual({ type: 'function', before: false, after: true });
  });

  it("formats docker-modem's request debug line only when DEBUG turns that logger on", () => {
    const [client] = readdirSync(BUNDLE).filter((f) => /^dockerode-[0-9a-f]{12}\.cjs$/.test(f));
    const script = `
      const Docker = require(${JSON.stringify(join(BUNDLE, client!))});
      const util = require('node:util');
      let formats = 0;
      const inspect = util.inspect;
      util.inspect = (...args) => (formats++, inspect(...args));
      new Docker({ socketPath: '/nonexistent.sock' }).ping().catch(() => process.stdout.write(String(formats)));`;
    const run = (debug: string): string => {
      const env: NodeJS.ProcessEnv = { ...process.env, DEBUG: debug };
      return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env, stdio: 'pipe' });
    };
    expect(run('')).toBe('0');
    expect(Number(run('modem'))).toBeGreaterThan(0);
  });

  it('finds the shipped folders and the version from dist/bundle', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
      .version;
    expect(execFileSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' }).trim()).toBe(version);
  });
});
