import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { JackinError } from '../kernel/errors.js';
import type { AuthPlan, FileCopy, ForwardMode } from './auth-plan.js';
import { homePath } from './instance-state.js';
import type { InstanceStateLayout } from './instance-state.js';

/** The `AuthForwarded` payload (src/events/catalog/agent.ts, structurally): never a value. */
export interface AuthForwardedData {
  readonly instanceId: string;
  readonly runtime: string;
  readonly mode: ForwardMode;
  readonly scope: string;
  readonly source: string;
  readonly fingerprint?: string;
  readonly envNames: string[];
  readonly files: string[];
  readonly removed: string[];
}

export interface MaterializedAuth {
  /** Secret env for the role container: pass it in the create call or an env file, never in argv. */
  readonly env: Readonly<Record<string, string>>;
  /** Home-relative paths written into the instance state. */
  readonly files: readonly string[];
  /** One per runtime (and GitHub): append them to the instance stream. */
  readonly events: readonly AuthForwardedData[];
  readonly warnings: readonly string[];
}

function refuseSymlink(path: string): void {
  if (existsSync(path) && lstatSync(path).isSymbolicLink()) {
    throw new JackinError('credential_missing', `refusing to write credentials through a symlink: ${path}`, {
      hint: 'remove the symlink from the instance state directory',
    });
  }
}

function ensureParent(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
}

/** Copies a file 0600, or a tree (files 0600, dirs 0700, symlinks skipped). */
function copyPrivate(from: string, to: string): void {
  refuseSymlink(to);
  const info = lstatSync(from);
  if (info.isSymbolicLink()) return;
  if (info.isDirectory()) {
    mkdirSync(to, { recursive: true, mode: 0o700 });
    chmodSync(to, 0o700);
    for (const name of readdirSync(from)) copyPrivate(join(from, name), join(to, name));
    return;
  }
  ensureParent(to);
  copyFileSync(from, to);
  chmodSync(to, 0o600);
}

function applyCopy(layout: InstanceStateLayout, copy: FileCopy): boolean {
  const target = homePath(layout, copy.to);
  if (copy.role === 'seed' && existsSync(target) && !isPlaceholder(target)) return false;
  copyPrivate(copy.from, target);
  return true;
}

/** A state file jackin created empty (`{}`) so the bind mount had something to mount. */
function isPlaceholder(path: string): boolean {
  if (!lstatSync(path).isFile()) return false;
  return readFileSync(path, 'utf8').trim() === '{}' || lstatSync(path).size === 0;
}

function mergeJson(path: string, keys: Readonly<Record<string, unknown>>): void {
  refuseSymlink(path);
  let current: Record<string, unknown> = {};
  if (existsSync(path)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        current = parsed as Record<string, unknown>;
    } catch {
      // An unreadable account file is replaced: the runtime rewrites it on first start.
    }
  }
  ensureParent(path);
  writeFileSync(path, `${JSON.stringify({ ...current, ...keys }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * Applies a plan to the instance state (run at every launch, after the state dirs exist, before
 * the container starts): copies synced logins 0600, removes logins a mode does not forward, and
 * returns the secret env plus one `AuthForwarded` payload per runtime.
 */
export function materializeAuth(plan: AuthPlan, layout: InstanceStateLayout): MaterializedAuth {
  const env: Record<string, string> = {};
  const files: string[] = [];
  const events: AuthForwardedData[] = [];
  const warnings: string[] = [];
  for (const entry of plan.entries) {
    const written: string[] = [];
    const removed: string[] = [];
    for (const path of entry.remove) {
      const target = homePath(layout, path);
      if (existsSync(target) || lstatExists(target)) {
        rmSync(target, { recursive: true, force: true });
        removed.push(path);
      }
    }
    for (const copy of entry.copies) if (applyCopy(layout, copy)) written.push(copy.to);
    for (const merge of entry.mergeJson) {
      mergeJson(homePath(layout, merge.path), merge.keys);
      written.push(merge.path);
    }
    for (const { name, value } of entry.env) env[name] = value;
    files.push(...written);
    warnings.push(...entry.warnings);
    events.push({
      instanceId: plan.instanceId,
      runtime: entry.runtime,
      mode: entry.mode,
      scope: entry.scope,
      source: entry.source,
      ...(entry.fingerprint ? { fingerprint: entry.fingerprint } : {}),
      envNames: entry.env.map((e) => e.name),
      files: written,
      removed,
    });
  }
  return { env, files, events, warnings };
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A private env file (`docker --env-file`) in a 0700 temp dir; `dispose` deletes it. */
export interface PrivateEnvFile {
  readonly path: string;
  dispose(): void;
}

/** Writes secret env for the docker CLI (exec/attach) so values never appear in argv or `ps`. */
export function writePrivateEnvFile(
  env: Readonly<Record<string, string>>,
  parent: string = tmpdir(),
): PrivateEnvFile {
  for (const [name, value] of Object.entries(env)) {
    if (/[\r\n]/.test(value)) {
      throw new JackinError(
        'invalid_input',
        `the value of ${name} spans several lines; an env file cannot carry it`,
      );
    }
  }
  const dir = mkdtempSync(join(parent, 'jackin-env-'));
  chmodSync(dir, 0o700);
  const path = join(dir, 'env');
  const body = Object.entries(env)
    .map(([name, value]) => `${name}=${value}\n`)
    .join('');
  writeFileSync(path, body, { mode: 0o600 });
  return { path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
