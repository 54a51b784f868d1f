import type { Command } from 'commander';
import { UsageError } from '../../kernel/errors.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { parsePositiveInt } from '../options.js';
import { renderTable } from '../table.js';

const STATES = ['queued', 'claimed', 'running', 'retry_wait', 'succeeded', 'cancelled', 'dead_lettered'];

export function registerTaskList(task: Command, context: CliContext): void {
  task
    .command('list')
    .description('the queue, in the order workers take it: priority, then age')
    .option(
      '--state <state>',
      `only tasks in this state (repeatable: ${STATES.join(', ')})`,
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('--limit <n>', 'at most N tasks')
    .option('--json', 'print {"tasks":[...]}')
    .action(async (options: { state: string[]; limit?: string; json?: boolean }) => {
      for (const state of options.state) {
        if (!STATES.includes(state)) {
          throw new UsageError(`unknown task state '${state}'`, { hint: `states: ${STATES.join(', ')}` });
        }
      }
      const limit = options.limit === undefined ? undefined : parsePositiveInt(options.limit, '--limit');
      const [app, { listTasks }, { TASK_HEADERS, taskCells, taskToJson }] = await Promise.all([
        context.app(),
        import('../../projections/tasks.js'),
        import('../render/task-view.js'),
      ]);
      const { store } = await app.eventLog();
      const rows = listTasks(store.db, { states: options.state, limit });
      if (options.json) {
        writeJson(context.io.stdout, { tasks: rows.map(taskToJson) });
        return;
      }
      if (rows.length === 0) {
        writeLine(
          context.io.stdout,
          'no tasks (queue one with `jackin task add` or `jackin task import github`)',
        );
        return;
      }
      writeLine(context.io.stdout, renderTable(TASK_HEADERS, rows.map(taskCells)));
    });
}
