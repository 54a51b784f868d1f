import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { instanceDeps, reconcileQuietly } from '../instance-session.js';
import { writeJson, writeLine } from '../io.js';

const PURGEABLE = [
  'exited',
  'failed',
  'ejected',
  'lost',
  'running',
  'requested',
  'launching',
  'ejecting',
] as const;

/** `jackin purge`: delete an instance's persisted state; refuses while its containers exist. */
export function registerPurge(program: Command, context: CliContext): void {
  program
    .command('purge')
    .description(
      "delete an instance's state (agent homes, isolated checkouts); refuses while its containers exist",
    )
    .argument('<instance>', 'instance id, name or role')
    .option('--all', 'purge every instance the selector matches')
    .option('--json', 'print {"instances":[{"id","name","removed"}]}')
    .action(async (selector: string, options: { all?: boolean; json?: boolean }) => {
      const [deps, { purgeInstance }, { selectInstances }] = await Promise.all([
        instanceDeps(context, { quiet: true }),
        import('../../engine/instances/eject.js'),
        import('../../engine/instances/select.js'),
      ]);
      await reconcileQuietly(context, deps);
      const rows = selectInstances(deps.db, selector, {
        states: PURGEABLE,
        all: options.all ?? false,
        verb: 'purge',
      });
      const results = [];
      for (const row of rows) {
        const removed = await purgeInstance(deps, row);
        results.push({ id: row.instance_id, name: row.name, removed });
        if (!options.json) writeLine(context.io.stdout, `purged ${row.name} (${removed.length} path(s))`);
      }
      if (options.json) writeJson(context.io.stdout, { instances: results });
    });
}
