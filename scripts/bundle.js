// Bundles the CLI that bin/jackin.js runs (ADR 0027): tsc's output in dist/src/ is the input, and
// dist/bundle/ gets one entry file holding jackin's code, plus a chunk for each part that pulls in a
// heavy package (console, GitHub client, queue worker, migrations), reached only through import().
// A command then loads a handful of files instead of ~450, which was most of what a `jackin`
// process cost before it did any work.
//
// Bundled: jackin's own code and the small pure-JS packages every command loads (zod, commander,
// smol-toml). Left to node_modules: native or path-sensitive packages (better-sqlite3 and its
// loader, pino and its worker transports, dockerode — loaded through createRequire with deferred
// gRPC/ssh modules, ADR 0023) and the large ones only some commands need (ink, react, octokit,
// kysely, p-queue).
//
// The core then becomes a CommonJS file loaded with a V8 code cache (ADR 0029): a second rolldown
// pass turns dist/bundle/jackin.js into dist/bundle/jackin-core-<hash>.cjs, and jackin.js becomes a
// small ES module that loads it through src/cli/core-loader.ts and re-exports what the chunks import.
// Usage: node scripts/bundle.js   (run by `npm run build` after tsc)
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { builtinModules, createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import remapping from '@jridgewell/remapping';
import { build } from 'rolldown';
import { parseAst } from 'rolldown/parseAst';

const root = fileURLToPath(new URL('..', import.meta.url));
// better-sqlite3's JavaScript (~15 small files) is bundled; its addon is loaded by path (src/db/addon.ts).
const BUNDLED = new Set(['zod', 'commander', 'smol-toml', 'better-sqlite3']);
const builtins = new Set(builtinModules);
// Packages that only some commands need and that are costly to load: a module that reaches one of
// them through static imports stays out of the core chunk (below), in a chunk of its own.
const HEAVY = new Set(['ink', 'react', 'octokit', 'kysely', 'p-queue']);

/** A bare package specifier's package name (`@scope/name` or `name`), or undefined for a path. */
function packageOf(id) {
  if (id.startsWith('.') || id.startsWith('/') || id.startsWith('\0')) return undefined;
  const parts = id.split('/');
  return id.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The static imports of one tsc-emitted module (`import … from`, `export … from`, bare `import '…'`). */
function staticImports(file) {
  const text = readFileSync(file, 'utf8');
  const found = [];
  for (const match of text.matchAll(/^(?:import|export)\s(?:[^;'"]*?\sfrom\s)?['"]([^'"]+)['"]/gm))
    found.push(match[1]);
  return found;
}

const heavyReach = new Map();
/** Whether a dist module reaches a HEAVY package through static imports only. */
function reachesHeavy(file) {
  if (heavyReach.has(file)) return heavyReach.get(file);
  heavyReach.set(file, false); // a cycle adds nothing new
  let heavy = false;
  for (const spec of staticImports(file)) {
    const name = packageOf(spec);
    if (name !== undefined) heavy = HEAVY.has(name) || HEAVY.has(spec);
    else if (!spec.startsWith('node:')) heavy = reachesHeavy(resolve(dirname(file), spec));
    if (heavy) break;
  }
  heavyReach.set(file, heavy);
  return heavy;
}

const DIST = `${root}dist${sep}`;
const BUNDLED_PATH = /[\\/]node_modules[\\/](zod|commander|smol-toml|better-sqlite3)[\\/]/;
/**
 * The core chunk: everything the entry and the commands share, loaded as one file — jackin's own
 * modules and the bundled packages, minus those that reach a HEAVY package. Without it rolldown
 * splits at every import() into ~120 chunks, and a `jackin load` would still load ~60 files.
 */
const inCore = (id) => BUNDLED_PATH.test(id) || (id.startsWith(DIST) && !reachesHeavy(id));

rmSync(`${root}dist/bundle`, { recursive: true, force: true });
await build({
  cwd: root,
  input: { jackin: 'dist/src/cli/bundle-entry.js' },
  platform: 'node',
  // the entry keeps only what bin/jackin.js imports; the core chunk may export more
  preserveEntrySignatures: 'allow-extension',
  logLevel: 'warn',
  // A module both imported statically and with import() stays where the static import puts it:
  // expected here (commands import lazily what the core also uses), so not worth a warning.
  checks: { ineffectiveDynamicImport: false },
  external: (id) => {
    if (id.startsWith('node:') || builtins.has(id)) return true;
    const name = packageOf(id);
    return name !== undefined && !BUNDLED.has(name);
  },
  output: {
    dir: `${root}dist/bundle`,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
    codeSplitting: {
      includeDependenciesRecursively: false,
      groups: [
        {
          name: 'core',
          test: inCore,
        },
      ],
    },
  },
});

// Second pass: the core as CommonJS, so that it can be compiled with a code cache (ADR 0029).
const BUNDLE = `${root}dist/bundle`;
const esmCore = `${BUNDLE}/jackin.js`;
/**
 * V8 loses a script's dynamic-import hook when the script comes from a code cache (Node 20 throws
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so each `import(x)` in the core becomes `__jackinImport(x)`,
 * a function src/cli/core-loader.ts provides. Found in the syntax tree, not by text, so a string or a
 * comment that says `import(` is left alone.
 */
const routeDynamicImports = {
  name: 'jackin-route-dynamic-imports',
  transform(code, id) {
    if (id !== esmCore) return null;
    const starts = [];
    const visit = (node) => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (node === null || typeof node !== 'object') return;
      if (node.type === 'ImportExpression') starts.push(node.start);
      for (const key of Object.keys(node)) if (key !== 'parent') visit(node[key]);
    };
    visit(parseAst(code, { sourceType: 'module' }, id));
    let out = code;
    for (const start of starts.sort((a, b) => b - a)) {
      if (out.slice(start, start + 6) !== 'import') throw new Error(`no import( at offset ${start}`);
      out = `${out.slice(0, start)}__jackinImport${out.slice(start + 6)}`;
    }
    if (starts.length === 0) throw new Error('the core has no import(): the routing is out of date');
    return { code: out, map: null };
  },
};
const cjs = await build({
  cwd: root,
  input: esmCore,
  platform: 'node',
  logLevel: 'warn',
  plugins: [routeDynamicImports],
  // everything it imports stays an import: builtins, node_modules, and its own lazy chunks
  external: (_id, importer) => importer !== undefined,
  output: { dir: BUNDLE, format: 'cjs', sourcemap: true },
  write: false,
});
const chunks = cjs.output.filter((file) => file.type === 'chunk');
if (chunks.length !== 1) throw new Error(`the CommonJS pass made ${chunks.length} files, not one`);
const [core] = chunks;
/**
 * The scripts loadCore compiles are written in ASCII, every other character as a `\\uXXXX` escape
 * (they are in comments, strings, templates and regular expressions, where the escape means the same
 * character): the loader then reads a one-byte string, faster to decode and half the memory of the
 * two-byte string a single `→` makes of a 1 MB file (src/cli/core-loader.ts). Source-map columns
 * after an escaped character on its line are off by five per character.
 */
function asciiOnly(code, what) {
  if (/\\[^\x00-\x7f]/.test(code))
    throw new Error(`${what} escapes a non-ASCII character: cannot re-escape it`);
  return code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
const coreCode = asciiOnly(core.code, 'the core');
const coreName = `jackin-core-${createHash('sha256').update(coreCode).digest('hex').slice(0, 12)}.cjs`;
const exported = [...coreCode.matchAll(/^exports\.([\w$]+) = /gm)].map((m) => m[1]);
if (!exported.includes('main')) throw new Error('the CommonJS core does not export main');
// Its map points at the ESM core, which the first pass mapped to the TypeScript sources: chain them.
const esmMap = JSON.parse(readFileSync(`${esmCore}.map`, 'utf8'));
const map = remapping(core.map.toString(), (file) => (file.endsWith('jackin.js') ? esmMap : null));
map.file = coreName;
writeFileSync(`${BUNDLE}/${coreName}`, `${coreCode}\n//# sourceMappingURL=${coreName}.map\n`);
writeFileSync(`${BUNDLE}/${coreName}.map`, map.toString());
rmSync(`${esmCore}.map`);

// Third pass: dockerode and its CommonJS dependencies as one script, code-cached like the core
// (ADR 0029), instead of ~50 files resolved and compiled one by one. The modules ADR 0023 defers
// (dockerode's BuildKit session: the gRPC stack; docker-modem's ssh client) and dockerode's BuildKit
// progress decoder (protobufjs, required inside a function) stay out of it: each becomes a stand-in
// that requires the real file from node_modules when it is first used.
const fromRoot = createRequire(`${root}package.json`);
const dockerodeMain = fromRoot.resolve('dockerode');
const fromDockerode = createRequire(dockerodeMain);
const modemMain = fromDockerode.resolve('docker-modem');
const DOCKERODE = "createRequire(require.resolve('dockerode'))";
const deferred = new Map([
  // required at the top of lib/docker.js and lib/modem.js, exported as a function: forwarded on call
  [fromDockerode.resolve('./session'), { load: `${DOCKERODE}('./session')`, call: true }],
  [
    createRequire(modemMain).resolve('./ssh'),
    { load: `createRequire(${DOCKERODE}.resolve('docker-modem'))('./ssh')`, call: true },
  ],
  // required where it is used: the stand-in itself only runs then
  [fromDockerode.resolve('./buildkit'), { load: `${DOCKERODE}('./buildkit')`, call: false }],
]);
const deferModules = {
  name: 'jackin-defer-dockerode-modules',
  async resolveId(source, importer, options) {
    if (!importer || !source.startsWith('.')) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    return resolved && deferred.has(resolved.id) ? `\0deferred:${relative(root, resolved.id)}` : null;
  },
  load(id) {
    if (!id.startsWith('\0deferred:')) return null;
    const { load, call } = deferred.get(resolve(root, id.slice('\0deferred:'.length)));
    const head = "const { createRequire } = require('node:module');\n";
    return call
      ? `${head}let real;\nmodule.exports = function deferred(...args) {\n  real ??= ${load};\n  return real.apply(this, args);\n};\n`
      : `${head}module.exports = ${load};\n`;
  },
};
// docker-modem formats every request with util.inspect(options, { showHidden: true, depth: null })
// for its `debug` logger even when that logger is off: ~1 ms a request, most of it in a launch's
// first calls. The script formats only when DEBUG turns the `modem` logger on.
const SENDING = "  debug('Sending: %s', util.inspect(options, {";
const quietModemDebug = {
  name: 'jackin-quiet-modem-debug',
  transform(code, id) {
    if (id !== modemMain) return null;
    if (!code.includes(SENDING)) throw new Error(`docker-modem changed: "${SENDING.trim()}" is gone`);
    return code.replace(SENDING, `  if (debug.enabled) ${SENDING.trimStart()}`);
  },
};
const client = await build({
  cwd: root,
  input: dockerodeMain,
  platform: 'node',
  logLevel: 'warn',
  plugins: [deferModules, quietModemDebug],
  external: (id) => id.startsWith('node:') || builtins.has(id),
  output: { dir: BUNDLE, format: 'cjs', exports: 'named', sourcemap: false },
  write: false,
});
const clientChunks = client.output.filter((file) => file.type === 'chunk');
if (clientChunks.length !== 1)
  throw new Error(`the dockerode pass made ${clientChunks.length} files, not one`);
const clientCode = asciiOnly(clientChunks[0].code, 'the dockerode script');
for (const name of ['@grpc/grpc-js', 'ssh2', 'protobufjs'])
  if (clientCode.includes(`node_modules/${name}/`)) throw new Error(`the dockerode script holds ${name}`);
const clientName = `dockerode-${createHash('sha256').update(clientCode).digest('hex').slice(0, 12)}.cjs`;
writeFileSync(`${BUNDLE}/${clientName}`, clientCode);

writeFileSync(
  esmCore,
  `// Written by scripts/bundle.js (ADR 0029): the core is ${coreName}, loaded with a V8 code cache.
import { loadCore } from '../src/cli/core-loader.js';

const core = loadCore(new URL('./${coreName}', import.meta.url), {
  scripts: { dockerode: './${clientName}' },
}).exports;
export const { ${exported.join(', ')} } = core;
`,
);
