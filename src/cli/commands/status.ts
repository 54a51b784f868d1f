import type { Command } from 'commander';
import type { InstanceState } from '../../domain/instance-state.js';
import { listInstances } from '../../projections/instances.js';
import type { CliContext } from '../context.js';
import { instanceDeps, reconcileQuietly } from '../instance-session.js';
import { writeJson, writeLine } from '../io.js';
import { instanceJson, renderInstances } from '../render/instance-view.js';

const HIDDEN: readonly InstanceState[] = ['ejected', 'purged'];

/** `jackin status` / `ps`: instances after a cheap reconcile with Docker. */
export function registerStatus(program: Command, context: CliContext): void {
  program
    .command('status')
    .alias('ps')
    .description(
      'list instances with role, workspace, runtime, state, agent status and uptime (reconciled with Docker)',
    )
    .option('-a, --all', 'include ejected and purged instances')
    .option('--json', 'print {"instances":[...]}')
    .action(async (options: { all?: boolean; json?: boolean }) => {
      const deps = await instanceDeps(context, { quiet: true });
      await reconcileQuietly(context, deps);
      const rows = listInstances(deps.db).filter((r) => options.all || !HIDDEN.includes(r.state));
      const now = deps.now();
      if (options.json) writeJson(context.io.stdout, { instances: rows.map((r) => instanceJson(r, now)) });
      else writeLine(context.io.stdout, renderInstances(rows, now));
    });
}
