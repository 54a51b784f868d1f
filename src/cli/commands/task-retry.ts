import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';

export function registerTaskRetry(task: Command, context: CliContext): void {
  task
    .command('retry')
    .description('put a failed, dead-lettered or cancelled task back in the queue (attempt budget reset)')
    .argument('<task>', 'task id (or a unique prefix)')
    .option('--json', 'print {"task":{...}}')
    .action(async (id: string, options: { json?: boolean }) => {
      const [app, { executeTaskCommand }, { findTasks }, { resolveTask, taskToJson }] = await Promise.all([
        context.app(),
        import('../../engine/task/execute.js'),
        import('../../projections/tasks.js'),
        import('../render/task-view.js'),
      ]);
      const { store } = await app.eventLog();
      const row = resolveTask(store.db, id);
      await executeTaskCommand(store, row.task_id, { type: 'RetryTask' });
      const after = findTasks(store.db, row.task_id)[0]!;
      if (options.json) {
        writeJson(context.io.stdout, { task: taskToJson(after) });
        return;
      }
      writeLine(
        context.io.stdout,
        `task ${row.task_id} is queued again (was ${row.state.replace('_', ' ')})`,
      );
    });
}
