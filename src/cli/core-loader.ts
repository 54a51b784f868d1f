import { isAscii } from 'node:buffer';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/**
 * Loads the bundled CLI's core (ADR 0029) with a V8 code cache, the compile cache Node 20 does not
 * have for modules. The core is a CommonJS file (scripts/bundle.js writes it, its name carrying a
 * hash of its content); it is compiled with `vm.Script` from the bytecode a previous run saved, so a
 * command skips parsing ~1 MB of JavaScript and compiling every function it runs.
 *
 * `node --enable-source-maps` loads it with `require` instead, so stack traces map back to the sources.
 * The cache is an optimisation only: any failure to read or write it, and any cache V8 rejects (other
 * Node, other flags, damaged file), falls back to compiling the source.
 */

export type CacheOutcome = 'hit' | 'miss' | 'rejected' | 'off';

export interface LoadedCore {
  readonly exports: Record<string, unknown>;
  readonly cache: CacheOutcome;
}

export interface LoadCoreOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly argv?: readonly string[];
  /** Other scripts of the bundle, by name (`dockerode`), relative to the core: see `provideScripts`. */
  readonly scripts?: Readonly<Record<string, string>>;
}

/** Caches of a removed build are deleted once they are this old (written again when a build is used). */
const STALE_MS = 7 * 24 * 60 * 60 * 1000;
/** Commands recorded in one cache: a bound so stray words on a command line cannot grow it forever. */
const MAX_COMMANDS = 64;

/**
 * `$JACKIN_CODE_CACHE_DIR`, else `$XDG_CACHE_HOME/jackin/code-cache` (default `~/.cache`);
 * `JACKIN_CODE_CACHE=0` turns the cache off. Per user, not per jackin home: it caches the installed
 * code, which every home runs.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.JACKIN_CODE_CACHE === '0') return undefined;
  if (env.JACKIN_CODE_CACHE_DIR) return env.JACKIN_CODE_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'jackin', 'code-cache');
}

/**
 * The command word of a command line (`load` in `jackin --debug load ROLE`), or '' for none. V8 saves
 * the functions compiled so far, so a cache made by `--version` lacks what `load` runs: each command
 * seen for the first time rewrites the cache at exit, which then holds what every recorded command
 * compiled.
 */
export function commandWord(argv: readonly string[]): string {
  const word = argv.slice(2).find((arg) => !arg.startsWith('-')) ?? '';
  return /^[a-z][a-z0-9-]{0,31}$/.test(word) ? word : '';
}

function readOptional(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function readCommands(path: string): string[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return Array.isArray(parsed) ? parsed.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
function writeAtomically(path: string, data: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data, { mode: 0o600 });
  renameSync(temporary, path);
}

/**
 * Removes the caches of other builds of the same script (`jackin-core-<other hash>-…`) once they are
 * over `STALE_MS` old; the caches of other scripts and of this build stay.
 */
function removeStale(dir: string, name: string): void {
  const family = name.replace(/[0-9a-f]{12}$/, '');
  const now = Date.now();
  for (const file of readdirSync(dir)) {
    if (!file.startsWith(family) || file.startsWith(`${name}-`)) continue;
    const path = join(dir, file);
    try {
      if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
    } catch {
      // another process removed it first
    }
  }
}

/**
 * The core's `import()`: scripts/bundle.js rewrites each one to `__jackinImport()`, because V8 drops a
 * script's dynamic-import hook when it is compiled from a code cache. A relative specifier (a lazy
 * chunk) resolves against the core's file, a bare one (kysely) from this installation.
 */
function provideImport(coreUrl: string): void {
  const importFromCore = (specifier: string): Promise<unknown> =>
    import(specifier.startsWith('.') ? new URL(specifier, coreUrl).href : specifier);
  Object.defineProperty(globalThis, '__jackinImport', { value: importFromCore, configurable: true });
}

/**
 * Makes the bundle's other CommonJS scripts (the Docker client, scripts/bundle.js) available to the
 * core as `__jackinScript(name)`: loaded on first use, with a code cache like the core's, and
 * undefined for a name the bundle does not have (the caller then loads the package as usual).
 */
function provideScripts(
  coreUrl: string,
  scripts: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv,
  argv: readonly string[],
): void {
  const loaded = new Map<string, Record<string, unknown>>();
  const load = (name: string): Record<string, unknown> | undefined => {
    const relative = scripts[name];
    if (relative === undefined) return undefined;
    let exports = loaded.get(name);
    if (exports === undefined) {
      exports = loadCachedScript(fileURLToPath(new URL(relative, coreUrl)), env, argv).exports;
      loaded.set(name, exports);
    }
    return exports;
  };
  Object.defineProperty(globalThis, '__jackinScript', { value: load, configurable: true });
}

export function loadCore(url: string | URL, options: LoadCoreOptions = {}): LoadedCore {
  const env = options.env ?? process.env;
  const argv = options.argv ?? process.argv;
  const filename = fileURLToPath(url);
  const href = pathToFileURL(filename).href;
  provideImport(href);
  provideScripts(href, options.scripts ?? {}, env, argv);
  return loadCachedScript(filename, env, argv);
}

/** One CommonJS script of the bundle, compiled with the code cache (see the module comment). */
function loadCachedScript(filename: string, env: NodeJS.ProcessEnv, argv: readonly string[]): LoadedCore {
  // Node maps stack traces only for code its own loaders compiled: with source maps on, the script
  // is required as usual (and compiled from source).
  if (process.sourceMapsEnabled)
    return { exports: createRequire(filename)(filename) as Record<string, unknown>, cache: 'off' };
  // scripts/bundle.js writes the scripts in ASCII: read as one-byte text, which decodes faster and
  // takes half the memory of the two-byte string UTF-8 decoding makes of a file with one `→`.
  const bytes = readFileSync(filename);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const dir = codeCacheDir(env);
  // The script's name carries its content hash; the Node version and architecture complete the key.
  const name = basename(filename, '.cjs');
  const base = `${name}-${process.version}-${process.arch}`;
  const cacheFile = dir === undefined ? undefined : join(dir, `${base}.bin`);
  const cachedData = cacheFile === undefined ? undefined : readOptional(cacheFile);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename,
    ...(cachedData ? { cachedData } : {}),
  });
  const cache: CacheOutcome =
    dir === undefined
      ? 'off'
      : cachedData === undefined
        ? 'miss'
        : script.cachedDataRejected
          ? 'rejected'
          : 'hit';
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(filename), module, filename, dirname(filename));

  if (dir !== undefined && cacheFile !== undefined) {
    const commandsFile = join(dir, `${base}.commands.json`);
    const commands = cache === 'hit' ? readCommands(commandsFile) : [];
    const command = commandWord(argv);
    if (cache !== 'hit' || (!commands.includes(command) && commands.length < MAX_COMMANDS)) {
      // At exit the command has compiled what it runs: that is what the next run skips.
      process.once('exit', () => {
        try {
          mkdirSync(dir, { recursive: true, mode: 0o700 });
          writeAtomically(cacheFile, script.createCachedData());
          writeAtomically(commandsFile, JSON.stringify([...commands, command]));
          removeStale(dir, name);
        } catch {
          // a read-only or full disk: the next run compiles from source again
        }
      });
    }
  }
  return { exports: module.exports, cache };
}
