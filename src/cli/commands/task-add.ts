import { homedir } from 'node:os';
import type { Command } from 'commander';
import { UsageError } from '../../kernel/errors.js';
import { parseSize } from '../../kernel/size.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';

export interface TaskAddOptions {
  workspace: string;
  role: string;
  agent?: string;
  memory?: string;
  cpus?: string;
  priority?: string;
  json?: boolean;
}

/** `--priority`: a whole number, higher runs first (negative allowed). */
export function parsePriority(text: string): number {
  if (!/^-?\d+$/.test(text.trim())) {
    throw new UsageError(`invalid --priority '${text}'`, {
      hint: 'a whole number; higher runs first (default 0)',
    });
  }
  return Number(text);
}

/** `--cpus`: a positive number (fractions allowed). */
export function parseCpus(text: string, flag = '--cpus'): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(value > 0)) {
    throw new UsageError(`invalid ${flag} '${text}'`, {
      hint: `${flag} takes a number greater than 0, e.g. 2 or 0.5`,
    });
  }
  return value;
}

export function registerTaskAdd(task: Command, context: CliContext): void {
  task
    .command('add')
    .description('queue a prompt for an agent to work on, headless')
    .argument('<prompt>', 'what the agent should do')
    .requiredOption('--workspace <name|path>', 'a saved workspace, or a path to a git repository')
    .requiredOption('--role <role>', 'the role whose tools the agent gets')
    .option('--agent <name>', 'the runtime (claude, codex, amp, kimi, opencode, or one from config)')
    .option('--memory <size>', 'memory limit, e.g. 4g (admitted against `queue run --budget-memory`)')
    .option('--cpus <n>', 'CPU limit, e.g. 2')
    .option('--priority <n>', 'higher runs first (default 0)')
    .option('--json', 'print {"task":{...}}')
    .action(async (prompt: string, options: TaskAddOptions) => {
      if (options.memory !== undefined) parseSize(options.memory, '--memory');
      const [app, { ConfigStore }, { newTaskId, queueTask, resolveTaskSpec }, { findTasks }, { taskToJson }] =
        await Promise.all([
          context.app(),
          import('../../config/config-store.js'),
          import('../../engine/task/queue-task.js'),
          import('../../projections/tasks.js'),
          import('../render/task-view.js'),
        ]);
      const spec = await resolveTaskSpec(
        {
          store: (await app.eventLog()).store,
          config: new ConfigStore(app.paths.configDir),
          ids: app.ids,
          cwd: context.io.cwd,
          home: homedir(),
        },
        {
          workspace: options.workspace,
          role: options.role,
          agent: options.agent,
          memory: options.memory,
          cpus: options.cpus === undefined ? undefined : parseCpus(options.cpus),
          priority: options.priority === undefined ? undefined : parsePriority(options.priority),
          prompt,
        },
      );
      const { store } = await app.eventLog();
      const taskId = newTaskId(app.ids);
      await queueTask(store, taskId, spec, { kind: 'prompt' });
      const row = findTasks(store.db, taskId)[0]!;
      if (options.json) {
        writeJson(context.io.stdout, { task: taskToJson(row) });
        return;
      }
      writeLine(
        context.io.stdout,
        `queued task ${taskId} (${spec.runtime} on ${spec.workspace}, priority ${spec.priority})`,
      );
      writeLine(context.io.stdout, 'run it with `jackin queue run`');
    });
}
