import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';

export function registerTaskShow(task: Command, context: CliContext): void {
  task
    .command('show')
    .description('one task: state, attempts, lease, branch, commits, links, log file')
    .argument('<task>', 'task id (or a unique prefix)')
    .option('--json', 'print {"task":{...}}')
    .action(async (id: string, options: { json?: boolean }) => {
      const [app, { resolveTask, taskDetails, taskToJson }] = await Promise.all([
        context.app(),
        import('../render/task-view.js'),
      ]);
      const { store } = await app.eventLog();
      const row = resolveTask(store.db, id);
      const log = join(app.paths.logs, 'tasks', `${row.task_id}.log`);
      if (options.json) {
        writeJson(context.io.stdout, { task: { ...taskToJson(row), log } });
        return;
      }
      const details = taskDetails(row, log);
      const width = Math.max(...details.map(([key]) => key.length));
      for (const [key, value] of details) writeLine(context.io.stdout, `${key.padEnd(width)}  ${value}`);
      writeLine(context.io.stdout, `\nthe full story: jackin history ${row.task_id}`);
    });
}
