import { statSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import type { ConfigStore } from '../../config/config-store.js';
import { BUILTIN_RUNTIMES } from '../../config/runtimes.js';
import type { Limits } from '../../config/shared-schema.js';
import type { Workspace } from '../../config/workspace-schema.js';
import type { TaskLimits } from '../../domain/task.js';
import { JackinError, NotFoundError, UsageError } from '../../kernel/errors.js';
import { parseSize } from '../../kernel/size.js';

/** A task's workspace: a saved workspace by name, or a host directory given as a path. */
export type TaskWorkspace =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'saved'; readonly name: string; readonly workspace: Workspace };

function looksLikePath(text: string): boolean {
  return text.startsWith('/') || text.startsWith('.') || text.startsWith('~');
}

/** Resolves `--workspace` (name, or a path to a directory) or fails with exit 3 / 2. */
export async function resolveTaskWorkspace(
  config: ConfigStore,
  text: string,
  context: { cwd: string; home: string },
): Promise<TaskWorkspace> {
  if (!looksLikePath(text)) {
    return { kind: 'saved', name: text, workspace: (await config.loadWorkspace(text)).value };
  }
  const path =
    text === '~' || text.startsWith('~/') ? resolve(context.home, text.slice(2)) : resolve(context.cwd, text);
  const isDirectory = (() => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  })();
  if (!isDirectory) {
    throw new NotFoundError(`workspace path '${text}' is not a directory`, {
      hint: 'give a saved workspace name (`jackin workspace list`) or an existing directory',
    });
  }
  return { kind: 'path', path };
}

/** The name the task records: the workspace name, or the absolute path. */
export function workspaceLabel(target: TaskWorkspace): string {
  return target.kind === 'path' ? target.path : target.name;
}

/** The runtime a task runs: `--agent`, else the workspace default, else claude; must be known. */
export function resolveTaskRuntime(
  agent: string | undefined,
  target: TaskWorkspace,
  definedRuntimes: readonly string[],
): string {
  const runtime = agent ?? (target.kind === 'saved' ? target.workspace.default_agent : undefined) ?? 'claude';
  const known = [...BUILTIN_RUNTIMES, ...definedRuntimes];
  if (!known.includes(runtime)) {
    throw new UsageError(`unknown agent '${runtime}'`, {
      hint: `agents: ${known.join(', ')} (define more under [runtimes.<name>] in config.toml)`,
    });
  }
  return runtime;
}

/** Limits, most specific wins: flag → workspace role → workspace → config role → config. */
export function resolveTaskLimits(
  flags: { memory?: string | undefined; cpus?: number | undefined },
  layers: readonly (Limits | undefined)[],
): TaskLimits {
  const memory = flags.memory ?? layers.find((l) => l?.memory !== undefined)?.memory;
  const cpus = flags.cpus ?? layers.find((l) => l?.cpus !== undefined)?.cpus;
  return {
    ...(memory === undefined ? {} : { memoryBytes: parseSize(memory, '--memory') }),
    ...(cpus === undefined ? {} : { cpus }),
  };
}

/**
 * The host git repository a task's worktree is cut from: the path itself, or the host source of
 * the workspace mount that holds its workdir.
 */
export function hostRepositoryOf(target: TaskWorkspace): string {
  if (target.kind === 'path') return target.path;
  const { workdir, mounts } = target.workspace;
  const holding = mounts
    .filter((m) => workdir === m.dst || workdir.startsWith(`${m.dst.replace(/\/$/, '')}/`))
    .sort((a, b) => b.dst.length - a.dst.length)[0];
  if (!holding) {
    throw new JackinError(
      'launch_failed',
      `workspace '${target.name}' mounts nothing at its workdir ${workdir}`,
      {
        hint: `add a mount with dst ${workdir}: jackin workspace edit ${target.name} --mount SRC:${workdir}`,
      },
    );
  }
  return resolve(holding.src, posix.relative(holding.dst, workdir));
}
