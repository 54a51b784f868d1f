import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import { JackinError, UsageError } from '../../kernel/errors.js';
import { terminalConfirm } from '../confirm.js';
import type { CliContext } from '../context.js';
import { instanceDeps, reconcileQuietly } from '../instance-session.js';
import { writeJson, writeLine } from '../io.js';

/**
 * `jackin prune instances|system`: reconcile with Docker, remove labelled objects nothing live owns,
 * and delete the state of failed launches. `system` also clears the cache (asks unless --yes).
 */
export function registerPrune(program: Command, context: CliContext): void {
  program
    .command('prune')
    .description(
      "reclaim what nothing references: instances (orphaned Docker objects, failed launches' state) or system",
    )
    .argument('<what>', 'instances | system')
    .option('-y, --yes', 'do not ask (system)')
    .option('--json', 'print {"reconciled":[...],"purged":[...]}')
    .action(async (what: string, options: { yes?: boolean; json?: boolean }) => {
      if (what !== 'instances' && what !== 'system') {
        throw new UsageError(`unknown prune target '${what}'`, { hint: 'jackin prune instances | system' });
      }
      const app = await context.app();
      if (what === 'system' && !options.yes) {
        const confirm = terminalConfirm(context.io);
        if (!confirm)
          throw new UsageError('prune system asks for confirmation', { hint: 'pass --yes to confirm' });
        if (!(await confirm("Remove orphaned instances' objects, failed instances' state and the cache?")))
          throw new JackinError('operation_failed', 'not confirmed');
      }
      const [deps, { purgeInstance }, { listInstances }] = await Promise.all([
        instanceDeps(context, { quiet: true }),
        import('../../engine/instances/eject.js'),
        import('../../projections/instances.js'),
      ]);
      const reconciled = await reconcileQuietly(context, deps, true);
      const purged: string[] = [];
      for (const row of listInstances(deps.db, { states: ['failed'] })) {
        const removed = await purgeInstance(deps, row).catch(() => []);
        if (removed.length > 0) purged.push(row.name);
      }
      if (what === 'system') rmSync(app.paths.cache, { recursive: true, force: true });
      if (options.json) writeJson(context.io.stdout, { reconciled, purged });
      else {
        for (const r of reconciled) writeLine(context.io.stdout, `${r.instanceId}  ${r.event}  ${r.detail}`);
        for (const name of purged) writeLine(context.io.stdout, `${name}  state purged`);
        if (reconciled.length + purged.length === 0) writeLine(context.io.stdout, 'nothing to prune');
      }
    });
}
