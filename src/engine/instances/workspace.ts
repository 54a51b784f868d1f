import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Mount } from '../../runtime/port.js';
import type { CheckoutRecord } from './isolation.js';
import { inspectHostRepo, materializeCheckout, removeCheckout } from './isolation.js';

/** A mount of the session contract (`contract.mounts[]`). */
export interface ContractMount {
  readonly host: string;
  readonly container: string;
  readonly access: 'ro' | 'rw';
  readonly isolation: 'shared' | 'worktree' | 'clone';
}

export interface MaterializedMount {
  readonly src: string;
  readonly dst: string;
  readonly readonly: boolean;
  readonly isolation: string;
  readonly repo?: string | undefined;
  readonly branch?: string | undefined;
  readonly base?: string | undefined;
}

export interface MaterializedWorkspace {
  readonly mounts: readonly Mount[];
  readonly recorded: readonly MaterializedMount[];
  readonly checkouts: readonly CheckoutRecord[];
}

/** Host repositories behind isolated mounts that have uncommitted changes (they would be left out). */
export async function dirtyIsolatedSources(
  mounts: readonly ContractMount[],
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const dirty: string[] = [];
  for (const mount of mounts) {
    if (mount.isolation === 'shared') continue;
    const repo = await inspectHostRepo(mount.host, env);
    if (repo.dirty) dirty.push(repo.root);
  }
  return dirty;
}

/**
 * Shared mounts go in as they are; worktree/clone mounts get a checkout on `jackin/scratch/<id>`
 * under the instance state directory. A worktree also needs its repository's `.git` at the same
 * path (its `.git` file points there), so git works inside the container.
 */
export async function materializeWorkspace(
  mounts: readonly ContractMount[],
  instanceId: string,
  stateDir: string,
  env: NodeJS.ProcessEnv,
): Promise<MaterializedWorkspace> {
  const out: Mount[] = [];
  const recorded: MaterializedMount[] = [];
  const checkouts: CheckoutRecord[] = [];
  try {
    for (const [index, mount] of mounts.entries()) {
      const readOnly = mount.access === 'ro';
      if (mount.isolation === 'shared') {
        out.push({ type: 'bind', source: mount.host, target: mount.container, readOnly });
        recorded.push({ src: mount.host, dst: mount.container, readonly: readOnly, isolation: 'shared' });
        continue;
      }
      const target = join(stateDir, 'git', `${mount.isolation}-${index}`);
      const { record, mountSource } = await materializeCheckout(
        mount.isolation,
        mount.host,
        instanceId,
        target,
        env,
      );
      checkouts.push(record);
      out.push({ type: 'bind', source: mountSource, target: mount.container });
      recorded.push({
        src: mountSource,
        dst: mount.container,
        readonly: false,
        isolation: mount.isolation,
        repo: record.repo,
        branch: record.branch,
        base: record.base,
      });
      const gitDir = join(record.repo, '.git');
      if (record.isolation === 'worktree' && !out.some((m) => m.target === gitDir)) {
        out.push({ type: 'bind', source: gitDir, target: gitDir });
      }
    }
  } catch (error) {
    for (const checkout of checkouts) await removeCheckout(checkout, env).catch(() => undefined);
    throw error;
  }
  return { mounts: out, recorded, checkouts };
}

/** The checkouts recorded in an InstanceWorkspaceMaterialized payload. */
export function checkoutsOf(mounts: readonly MaterializedMount[], stateDir: string): CheckoutRecord[] {
  return mounts.flatMap((m) => {
    if ((m.isolation !== 'worktree' && m.isolation !== 'clone') || !m.repo || !m.branch || !m.base) return [];
    const root = join(stateDir, 'git');
    const rel = m.src.startsWith(`${root}/`) ? m.src.slice(root.length + 1).split('/')[0] : undefined;
    const path = rel ? join(root, rel) : m.src;
    return [{ isolation: m.isolation, path, repo: m.repo, branch: m.branch, base: m.base }];
  });
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Writes the private env file (dir 0700, file 0600); undefined when there is nothing secret. */
export function writeSecretsFile(
  stateDir: string,
  env: Readonly<Record<string, string>>,
): string | undefined {
  const entries = Object.entries(env);
  if (entries.length === 0) return undefined;
  const dir = join(stateDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = join(dir, 'env');
  writeFileSync(file, entries.map(([k, v]) => `${k}=${shellQuote(v)}\n`).join(''), { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
