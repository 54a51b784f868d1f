import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { JackinError } from '../../kernel/errors.js';
import { runGit } from '../../roles/git.js';
import { scratchBranch } from './naming.js';

/** An isolated checkout (worktree or clone) as recorded in InstanceWorkspaceMaterialized. */
export interface CheckoutRecord {
  readonly isolation: 'worktree' | 'clone';
  /** The checkout's root on the host (what gets removed). */
  readonly path: string;
  /** The host repository it came from. */
  readonly repo: string;
  readonly branch: string;
  readonly base: string;
}

export interface HostRepo {
  readonly root: string;
  readonly head: string;
  readonly dirty: boolean;
}

type Env = NodeJS.ProcessEnv;

/** The git repository holding `src`, its HEAD and whether it has uncommitted changes. */
export async function inspectHostRepo(src: string, env: Env): Promise<HostRepo> {
  const root = await runGit(['rev-parse', '--show-toplevel'], { cwd: src, env }).catch(() => {
    throw new JackinError(
      'invalid_input',
      `'${src}' is not inside a git repository; worktree and clone isolation need one`,
      {
        hint: 'use isolation = "shared" for this mount, or `git init` it first',
      },
    );
  });
  const head = await runGit(['rev-parse', 'HEAD'], { cwd: root, env }).catch(() => {
    throw new JackinError('invalid_input', `the repository ${root} has no commit yet`, {
      hint: 'commit once; an isolated checkout starts from HEAD',
    });
  });
  const status = await runGit(['status', '--porcelain', '--untracked-files=normal'], { cwd: root, env });
  return { root, head, dirty: status.length > 0 };
}

/**
 * Creates the isolated checkout for one mount under `targetDir` and returns it with the path to
 * mount (the same sub-path of the checkout as `src` is of its repository).
 */
export async function materializeCheckout(
  isolation: 'worktree' | 'clone',
  src: string,
  instanceId: string,
  targetDir: string,
  env: Env,
): Promise<{ record: CheckoutRecord; mountSource: string }> {
  const repo = await inspectHostRepo(src, env);
  const branch = scratchBranch(instanceId);
  mkdirSync(dirname(targetDir), { recursive: true });
  if (isolation === 'worktree') {
    await runGit(['worktree', 'add', '-b', branch, targetDir, repo.head], { cwd: repo.root, env });
  } else {
    await runGit(['clone', '--local', '--quiet', repo.root, targetDir], { env });
    await runGit(['checkout', '-q', '-b', branch, repo.head], { cwd: targetDir, env });
  }
  const record: CheckoutRecord = { isolation, path: targetDir, repo: repo.root, branch, base: repo.head };
  return { record, mountSource: join(targetDir, relative(repo.root, src)) };
}

/** Why a checkout cannot be removed without losing work, or undefined when it is safe. */
export async function unsavedWork(record: CheckoutRecord, env: Env): Promise<string | undefined> {
  if (!existsSync(record.path)) return undefined;
  const status = await runGit(['status', '--porcelain', '--untracked-files=normal'], {
    cwd: record.path,
    env,
  });
  if (status.length > 0) return 'uncommitted changes';
  const tip = await runGit(['rev-parse', 'HEAD'], { cwd: record.path, env });
  if (tip === record.base) return undefined;
  // Safe when another branch or a remote-tracking ref already contains the tip (merged or pushed).
  const refs = await runGit(
    ['for-each-ref', '--contains', tip, '--format=%(refname)', 'refs/heads', 'refs/remotes'],
    {
      cwd: record.path,
      env,
    },
  );
  const others = refs.split('\n').filter((r) => r && r !== `refs/heads/${record.branch}`);
  return others.length > 0 ? undefined : `commits not pushed or merged (branch ${record.branch})`;
}

/** Removes a checkout and its scratch branch; tolerates a vanished checkout or host repository. */
export async function removeCheckout(record: CheckoutRecord, env: Env): Promise<void> {
  if (record.isolation === 'worktree' && existsSync(record.repo)) {
    await runGit(['worktree', 'remove', '--force', record.path], { cwd: record.repo, env }).catch(
      () => undefined,
    );
    await runGit(['worktree', 'prune'], { cwd: record.repo, env }).catch(() => undefined);
    await runGit(['branch', '-D', record.branch], { cwd: record.repo, env }).catch(() => undefined);
  }
  rmSync(record.path, { recursive: true, force: true });
}

/**
 * Eject's rule: remove a checkout only when nothing in it is unsaved; otherwise keep it and say
 * why. Returns the line for InstanceEjected (`kept` or `removed`).
 */
export async function releaseCheckout(
  record: CheckoutRecord,
  env: Env,
): Promise<{ kept: boolean; line: string }> {
  const reason = await unsavedWork(record, env).catch((error: unknown) =>
    error instanceof Error ? error.message : String(error),
  );
  if (reason) return { kept: true, line: `${record.path} (${reason})` };
  await removeCheckout(record, env);
  return { kept: false, line: record.path };
}
