import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';

export function registerTaskCancel(task: Command, context: CliContext): void {
  task
    .command('cancel')
    .description('cancel an unfinished task (a running agent is stopped by its worker)')
    .argument('<task>', 'task id (or a unique prefix)')
    .option('--reason <text>', 'why, for the log', 'cancelled by the operator')
    .option('--json', 'print {"task":{...}}')
    .action(async (id: string, options: { reason: string; json?: boolean }) => {
      const [app, { executeTaskCommand }, { findTasks }, { resolveTask, taskToJson }] = await Promise.all([
        context.app(),
        import('../../engine/task/execute.js'),
        import('../../projections/tasks.js'),
        import('../render/task-view.js'),
      ]);
      const { store } = await app.eventLog();
      const row = resolveTask(store.db, id);
      await executeTaskCommand(store, row.task_id, { type: 'CancelTask', reason: options.reason });
      const after = findTasks(store.db, row.task_id)[0]!;
      if (options.json) {
        writeJson(context.io.stdout, { task: taskToJson(after) });
        return;
      }
      writeLine(context.io.stdout, `cancelled task ${row.task_id}`);
      if (row.state === 'claimed' || row.state === 'running') {
        writeLine(
          context.io.stdout,
          `worker ${row.worker_id ?? '?'} stops its agent at its next lease renewal`,
        );
      }
    });
}
