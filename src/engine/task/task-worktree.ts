import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { JackinError, isJackinError } from '../../kernel/errors.js';
import { runGit } from '../../roles/git.js';
import { taskBranch } from './runner.js';

const LOCKED = /lock|already exists|unable to create/i;

/** Serialises worktree bookkeeping per repository in this process; other processes are retried. */
export class RepoLocks {
  private readonly tails = new Map<string, Promise<unknown>>();
  run<T>(repo: string, work: () => Promise<T>): Promise<T> {
    const next = (this.tails.get(repo) ?? Promise.resolve()).then(work, work);
    this.tails.set(
      repo,
      next.catch(() => undefined),
    );
    return next;
  }
}

export async function gitRetrying(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await runGit(args, { cwd, env });
    } catch (error) {
      if (attempt >= 8 || !(error instanceof Error) || !LOCKED.test(error.message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
}

/** One attempt's checkout: `<dataDir>/<task>/worktree` on `jackin/task/<id>`, cut from HEAD. */
export interface TaskCheckout {
  readonly repo: string;
  readonly dir: string;
  readonly worktree: string;
  readonly branch: string;
  readonly baseCommit: string;
}

/**
 * The worktrees of task attempts (both runners): each attempt starts from the repository's HEAD
 * (`-B`), a previous attempt's worktree is replaced; no commits → worktree and branch removed,
 * commits → both kept.
 */
export class TaskWorktrees {
  private readonly locks = new RepoLocks();

  constructor(
    private readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  taskDir(taskId: string): string {
    return join(this.dataDir, taskId);
  }

  async prepare(taskId: string, repository: string, workspace: string): Promise<TaskCheckout> {
    const { env } = this;
    const repo = await runGit(['rev-parse', '--show-toplevel'], { cwd: repository, env }).catch(
      (error: unknown) => {
        throw new JackinError(
          'launch_failed',
          `workspace ${workspace} is not a git repository (${repository})`,
          { cause: error },
        );
      },
    );
    const baseCommit = await runGit(['rev-parse', 'HEAD'], { cwd: repo, env });
    const branch = taskBranch(taskId);
    const dir = this.taskDir(taskId);
    const worktree = join(dir, 'worktree');
    await mkdir(dir, { recursive: true });
    await this.locks.run(repo, async () => {
      await this.removeWorktree(repo, worktree);
      await gitRetrying(['worktree', 'add', '-q', '-B', branch, worktree, baseCommit], repo, env);
    });
    return { repo, dir, worktree, branch, baseCommit };
  }

  /** The commits the attempt added (oldest first); with none, the worktree and branch go. */
  async settle(checkout: TaskCheckout): Promise<string[]> {
    const { repo, branch, baseCommit } = checkout;
    return this.locks.run(repo, async () => {
      const list = (
        await runGit(['rev-list', '--reverse', `${baseCommit}..${branch}`], { cwd: repo, env: this.env })
      )
        .split('\n')
        .filter(Boolean);
      if (list.length === 0) await this.discardUnlocked(checkout);
      return list;
    });
  }

  /** Removes the worktree and branch (the attempt could not start). */
  discard(checkout: TaskCheckout): Promise<void> {
    return this.locks.run(checkout.repo, () => this.discardUnlocked(checkout));
  }

  private async removeWorktree(repo: string, worktree: string): Promise<void> {
    if (existsSync(worktree)) {
      await gitRetrying(['worktree', 'remove', '--force', worktree], repo, this.env).catch(() => undefined);
      await rm(worktree, { recursive: true, force: true });
    }
    await gitRetrying(['worktree', 'prune'], repo, this.env);
  }

  private async discardUnlocked(checkout: TaskCheckout): Promise<void> {
    await this.removeWorktree(checkout.repo, checkout.worktree);
    await gitRetrying(['branch', '-D', checkout.branch], checkout.repo, this.env).catch((error: unknown) => {
      if (!isJackinError(error)) throw error;
    });
  }
}
