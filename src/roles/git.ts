import { execFile } from 'node:child_process';
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
