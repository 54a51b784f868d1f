import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { JackinError } from '../kernel/errors.js';

export interface GitOptions {
  readonly cwd?: string;
  /** The environment git runs with (PATH, HOME); prompts are always disabled. */
  readonly env: NodeJS.ProcessEnv;
}

/** Runs git without a shell; fails with a `git_failed` JackinError carrying git's first stderr line. */
export function runGit(args: readonly string[], options: GitOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      {
        cwd: options.cwd,
        env: {
          ...options.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_ASKPASS: '',
          SSH_ASKPASS: '',
          LC_ALL: 'C',
          // also limits what submodules and redirects may use
          GIT_ALLOW_PROTOCOL: 'https:ssh:file',
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout.trim());
          return;
        }
        const detail = stderr.split('\n').find((l) => l.trim().length > 0) ?? error.message;
        reject(
          new JackinError('git_failed', `git ${args[0] ?? ''} failed: ${detail.replace(/^fatal: /, '')}`, {
            cause: error,
          }),
        );
      },
    );
  });
}

/** Whether `dir` or a folder above it has a `.git` entry (or GIT_DIR points git elsewhere). */
function mayBeInGitTree(dir: string, env: NodeJS.ProcessEnv): boolean {
  if (env.GIT_DIR) return true;
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return true;
    if (dirname(at) === at) return false;
  }
}

/**
 * The commit checked out in a local role folder, or null when it is not in a git work tree. A folder
 * with no `.git` in it or above it gets null without starting git (a process start on the launch
 * path); otherwise `git rev-parse HEAD` decides, as before.
 */
export async function localHeadCommit(dir: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  if (!mayBeInGitTree(dir, env)) return null;
  return runGit(['rev-parse', 'HEAD'], { cwd: dir, env }).catch(() => null);
}
