import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { renderTable } from '../table.js';
import { registerLinksPoll } from './links-poll.js';

/** `jackin links`: tracked issues and pull requests, and `jackin links poll`. */
export function registerLinks(program: Command, context: CliContext): void {
  const links = program
    .command('links')
    .description('tracked GitHub issues and pull requests and their state (open, merged, closed, checks)')
    .option('--json', 'print {"links":[...]}')
    .action(async (options: { json?: boolean }) => {
      const [app, { listLinks }, { linkToJson }] = await Promise.all([
        context.app(),
        import('../../projections/links.js'),
        import('../render/task-view.js'),
      ]);
      const { store } = await app.eventLog();
      const rows = listLinks(store.db);
      if (options.json) {
        writeJson(context.io.stdout, { links: rows.map(linkToJson) });
        return;
      }
      if (rows.length === 0) {
        writeLine(context.io.stdout, 'no links yet (agents add them with <jackin:pr url="…"/> tags)');
        return;
      }
      writeLine(
        context.io.stdout,
        renderTable(
          ['LINK', 'KIND', 'STATE', 'CHECKS', 'TASK', 'TITLE'],
          rows.map((r) => [
            `${r.repo}#${r.number}`,
            r.kind,
            r.state,
            r.checks ?? '-',
            r.task_id ?? '-',
            r.title ?? '-',
          ]),
        ),
      );
    });
  registerLinksPoll(links, context);
}
