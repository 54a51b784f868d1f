import { homedir } from 'node:os';
import type { Command } from 'commander';
import { UsageError } from '../../kernel/errors.js';
import { parseSize } from '../../kernel/size.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { parsePositiveInt } from '../options.js';
import { renderTable } from '../table.js';
import { parseCpus, parsePriority } from './task-add.js';
import type { TaskAddOptions } from './task-add.js';

interface ImportFlags extends Omit<TaskAddOptions, 'json'> {
  label: string[];
  state: string;
  limit: string;
  json?: boolean;
}

const ISSUE_STATES = ['open', 'closed', 'all'] as const;

export function registerTaskImport(task: Command, context: CliContext): void {
  const importCommand = task.command('import').description('queue tasks from an issue tracker');
  importCommand
    .command('github')
    .description('queue one task per GitHub issue (idempotent: an issue already queued is skipped)')
    .argument('<repo>', 'OWNER/REPO')
    .requiredOption('--workspace <name|path>', 'the workspace the agents work in')
    .requiredOption('--role <role>', 'the role whose tools the agents get')
    .option('--agent <name>', 'the runtime')
    .option(
      '--label <label>',
      'only issues with this label (repeatable: all must match)',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('--state <state>', 'issue state: open, closed or all', 'open')
    .option('--limit <n>', 'at most N issues', '100')
    .option('--memory <size>', 'memory limit per task, e.g. 4g')
    .option('--cpus <n>', 'CPU limit per task')
    .option('--priority <n>', 'priority of the imported tasks (default 0)')
    .option('--json', 'print {"tasks":[...]} (each with "imported": true|false)')
    .action(async (repoText: string, options: ImportFlags) => {
      const { checkRepoName, importGithubIssues } = await import('../../engine/task/import-github.js');
      const repo = checkRepoName(repoText);
      const state = ISSUE_STATES.find((s) => s === options.state);
      if (state === undefined) {
        throw new UsageError(`invalid --state '${options.state}'`, { hint: 'use open, closed or all' });
      }
      const limit = parsePositiveInt(options.limit, '--limit');
      if (options.memory !== undefined) parseSize(options.memory, '--memory');
      const [app, { ConfigStore }, { resolveTaskSpec }, { findTasks }, { taskToJson }] = await Promise.all([
        context.app(),
        import('../../config/config-store.js'),
        import('../../engine/task/queue-task.js'),
        import('../../projections/tasks.js'),
        import('../render/task-view.js'),
      ]);
      const { store } = await app.eventLog();
      const { prompt: _prompt, ...base } = await resolveTaskSpec(
        {
          store,
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
          prompt: 'imported',
        },
      );
      const { createGithub } = await import('../../app/github.js');
      const { client } = await createGithub(app);
      const outcomes = await importGithubIssues(store, client, repo, base, {
        labels: options.label,
        state,
        limit,
      });
      if (options.json) {
        writeJson(context.io.stdout, {
          tasks: outcomes.map((o) => ({
            ...taskToJson(findTasks(store.db, o.taskId)[0]!),
            imported: o.queued,
          })),
        });
        return;
      }
      if (outcomes.length === 0) {
        writeLine(
          context.io.stdout,
          `no ${state} issues in ${repo}${options.label.length ? ` labelled ${options.label.join(', ')}` : ''}`,
        );
        return;
      }
      writeLine(
        context.io.stdout,
        renderTable(
          ['ISSUE', 'TASK', 'RESULT', 'TITLE'],
          outcomes.map((o) => [
            `#${o.issue.number}`,
            o.taskId,
            o.queued ? 'queued' : 'already queued',
            o.issue.title,
          ]),
        ),
      );
      const queued = outcomes.filter((o) => o.queued).length;
      writeLine(context.io.stdout, `\n${queued} queued, ${outcomes.length - queued} already queued`);
    });
}
