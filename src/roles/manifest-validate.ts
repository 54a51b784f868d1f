import { lstat, readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { TomlError, parse } from 'smol-toml';
import { problemsFromZod } from '../config/issues.js';
import type { FileProblem } from '../config/issues.js';
import { locateKey } from '../config/key-locator.js';
import { compareAlpha } from '../config/migrations.js';
import { BUILTIN_RUNTIMES } from '../config/runtimes.js';
import { checkFinalFrom } from './dockerfile.js';
import type { FromCheck } from './dockerfile.js';
import { checkEnvDeclarations } from './manifest-env.js';
import {
  LEGACY_MANIFEST_FILE,
  MANIFEST_AGENT_TABLES,
  MANIFEST_FILE,
  MANIFEST_VERSION,
  MANIFEST_VERSIONS,
  manifestSchema,
} from './manifest-schema.js';
import type { Manifest } from './manifest-schema.js';

export interface RoleValidation {
  readonly dir: string;
  readonly file: string;
  /** The parsed manifest when there are no errors (warnings allowed). */
  readonly manifest: Manifest | undefined;
  readonly version: string;
  readonly from: FromCheck | undefined;
  readonly problems: readonly FileProblem[];
}

export interface ValidateOptions {
  /** Runtimes beyond the built-ins (operator-defined in config.toml). */
  readonly extraRuntimes?: readonly string[];
}

/** Feature → first manifest version allowing it (older stamps using it need `jackin role migrate`). */
const GATES: readonly [(raw: Record<string, unknown>) => boolean, string, string][] = [
  [(r) => uses(r, 'opencode'), 'v1alpha3', 'the opencode agent'],
  [(r) => uses(r, 'kimi'), 'v1alpha4', 'the kimi agent'],
  [
    (r) => MANIFEST_AGENT_TABLES.some((a) => isTable(r[a]) && 'providers' in r[a]),
    'v1alpha5',
    '[<agent>.providers]',
  ],
  [(r) => 'docker' in r, 'v1alpha6', '[docker]'],
  [(r) => 'limits' in r, 'v1alpha7', '[limits]'],
];

function uses(raw: Record<string, unknown>, agent: string): boolean {
  return agent in raw || (Array.isArray(raw.agents) && raw.agents.includes(agent));
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a role directory and reports every problem at once: TOML syntax (line:col), unknown
 * keys and wrong types, version gates, agents, env declarations, hooks (inside the repo, regular
 * files, non-empty, not symlinks) and the Dockerfile (inside the repo, final FROM = the construct).
 */
export async function validateRoleDir(dir: string, options: ValidateOptions = {}): Promise<RoleValidation> {
  const problems: FileProblem[] = [];
  let name = MANIFEST_FILE;
  let text = await readFile(join(dir, MANIFEST_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) {
    text = await readFile(join(dir, LEGACY_MANIFEST_FILE), 'utf8').catch(() => undefined);
    if (text !== undefined) name = LEGACY_MANIFEST_FILE;
  }
  const file = join(dir, name);
  const add = (path: (string | number)[], message: string, severity: 'error' | 'warning' = 'error'): void =>
    void problems.push({
      file,
      line: locateKey(text ?? '', path),
      path: path.map(String).join('.'),
      message,
      severity,
    });
  const result = (
    manifest: Manifest | undefined,
    version: string,
    from: FromCheck | undefined,
  ): RoleValidation => ({
    dir,
    file,
    manifest: problems.some((p) => p.severity === 'error') ? undefined : manifest,
    version,
    from,
    problems,
  });
  if (text === undefined) {
    add([], `missing ${MANIFEST_FILE}`);
    return result(undefined, MANIFEST_VERSION, undefined);
  }
  if (name === LEGACY_MANIFEST_FILE) add([], `legacy file name; rename it to ${MANIFEST_FILE}`, 'warning');
  let raw: Record<string, unknown>;
  try {
    raw = parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    problems.push({
      file,
      line: error.line,
      column: error.column,
      path: '',
      message: error.message.split('\n')[0] ?? 'invalid TOML',
      severity: 'error',
    });
    return result(undefined, MANIFEST_VERSION, undefined);
  }
  const version = typeof raw.version === 'string' ? raw.version : MANIFEST_VERSION;
  checkVersion(raw, version, add);
  const parsed = manifestSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) problems.push(...problemsFromZod(parsed.error, file, text));
  checkAgents(raw, options, add);
  if (isTable(raw.env)) for (const p of checkEnvDeclarations(raw.env)) add(p.path, p.message, p.severity);
  if (isTable(raw.hooks)) {
    for (const [hook, path] of Object.entries(raw.hooks))
      if (typeof path === 'string') await checkRepoFile(dir, path, ['hooks', hook], add, true);
  }
  const dockerfile = typeof raw.dockerfile === 'string' ? raw.dockerfile : 'Dockerfile';
  let from: FromCheck | undefined;
  if (await checkRepoFile(dir, dockerfile, ['dockerfile'], add, false)) {
    from = checkFinalFrom(await readFile(join(dir, dockerfile), 'utf8'));
    if (!from.ok)
      problems.push({
        file: join(dir, dockerfile),
        line: from.line,
        path: '',
        message: from.message,
        severity: 'error',
      });
  }
  if (typeof raw.published_image === 'string')
    add(['published_image'], 'ignored: jackin builds roles locally from the Dockerfile', 'warning');
  if (typeof raw.docker === 'object' && raw.docker !== null)
    add(
      ['docker'],
      "ignored: every instance gets a private DinD sidecar over TLS (privileged, or the engine's equivalent mode); see `jackin explain`",
      'warning',
    );
  return result(parsed.success ? parsed.data : undefined, version, from);
}

type Add = (path: (string | number)[], message: string, severity?: 'error' | 'warning') => void;

function checkVersion(raw: Record<string, unknown>, version: string, add: Add): void {
  if (raw.version !== undefined && typeof raw.version !== 'string') return; // zod reports the type
  if (!(MANIFEST_VERSIONS as readonly string[]).includes(version)) {
    if (compareAlpha(version, MANIFEST_VERSION) > 0)
      add(
        ['version'],
        `manifest is at ${version}, this jackin understands up to ${MANIFEST_VERSION}; upgrade jackin`,
      );
    else add(['version'], `unknown manifest version '${version}'`);
    return;
  }
  for (const [used, since, feature] of GATES) {
    if (used(raw) && compareAlpha(version, since) < 0)
      add(
        ['version'],
        `${feature} needs version ${since} or later (file is ${version}); run \`jackin role migrate\``,
      );
  }
}

function checkAgents(raw: Record<string, unknown>, options: ValidateOptions, add: Add): void {
  const known = new Set([...BUILTIN_RUNTIMES, ...(options.extraRuntimes ?? [])]);
  const agents = Array.isArray(raw.agents)
    ? raw.agents.filter((a): a is string => typeof a === 'string')
    : ['claude'];
  agents.forEach((agent, index) => {
    if (!known.has(agent))
      add(['agents', index], `unknown agent '${agent}' (known: ${[...known].join(', ')})`);
  });
  for (const table of MANIFEST_AGENT_TABLES) {
    if (table in raw && !agents.includes(table))
      add([table], `[${table}] is ignored: '${table}' is not in agents`, 'warning');
  }
}

/** A path from the manifest must be relative, stay inside the repo, exist, and not be a symlink. */
async function checkRepoFile(
  dir: string,
  path: string,
  at: (string | number)[],
  add: Add,
  nonEmpty: boolean,
): Promise<boolean> {
  if (isAbsolute(path)) return fail(add, at, `'${path}' must be relative to the role repo`);
  const full = join(dir, path);
  const rel = relative(dir, full);
  if (rel.startsWith('..') || rel.startsWith(sep) || rel === '')
    return fail(add, at, `'${path}' escapes the role repo`);
  const info = await lstat(full).catch(() => undefined);
  if (!info) return fail(add, at, `'${path}' does not exist`);
  if (info.isSymbolicLink()) return fail(add, at, `'${path}' is a symlink`);
  // a symlinked parent directory could still lead outside the repo
  const [realDir, realFull] = await Promise.all([realpath(dir), realpath(full)]);
  if (!realFull.startsWith(`${realDir}${sep}`))
    return fail(add, at, `'${path}' resolves outside the role repo`);
  if (!info.isFile()) return fail(add, at, `'${path}' is not a regular file`);
  if (nonEmpty && info.size === 0) return fail(add, at, `'${path}' is empty`);
  return true;
}

function fail(add: Add, at: (string | number)[], message: string): false {
  add(at, message);
  return false;
}
