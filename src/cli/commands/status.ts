import type { Command } from 'commander';
import type { InstanceState } from '../../domain/instance-state.js';
import type { CliContext } from '../context.js';
import { instanceDeps, reconcileQuietly } from '../instance-session.js';
import { writeJson, writeLine } from '../io.js';
import type { InstanceExtras } from '../render/instance-view.js';

const HIDDEN: readonly InstanceState[] = ['ejected', 'purged'];

/** `jackin status` / `ps`: instances after a cheap reconcile with Docker. */
export function registerStatus(program: Command, context: CliContext): void {
  program
    .command('status')
    .alias('ps')
    .description(
      'list instances with role, workspace, runtime, state, agent status, uptime, CPU/memory and linked issues/PRs (reconciled with Docker)',
    )
    .option('-a, --all', 'include ejected and purged instances')
    .option('--json', 'print {"instances":[...],"prewarmed":[...]}')
    .action(async (options: { all?: boolean; json?: boolean }) => {
      const [deps, { listInstances }, { linksOfInstance }, { instanceJson, renderInstances }] =
        await Promise.all([
          instanceDeps(context, { quiet: true }),
          import('../../projections/instances.js'),
          import('../../projections/links.js'),
          import('../render/instance-view.js'),
        ]);
      await reconcileQuietly(context, deps);
      const rows = listInstances(deps.db).filter((r) => options.all || !HIDDEN.includes(r.state));
      const now = deps.now();
      // One `docker stats --no-stream` for every running instance, sampled once per invocation.
      const running = rows.flatMap((r) => (r.state === 'running' && r.container_id ? [r.container_id] : []));
      const samples =
        running.length > 0
          ? await (
              await import('../../app/console/docker-stats.js')
            )
              .dockerStatsSampler({ env: context.io.env })
              .sample(running)
          : new Map<string, InstanceExtras['sample']>();
      const extras = (id: string, containerId: string | null): InstanceExtras => ({
        sample: containerId ? samples.get(containerId) : undefined,
        links: linksOfInstance(deps.db, id),
      });
      const shown = rows.map((r) => ({ row: r, extras: extras(r.instance_id, r.container_id) }));
      // Prewarmed sidecars ready for the next load (ADR 0020); the reconcile above dropped dead ones.
      const prewarmed = (await import('../../projections/prewarms.js'))
        .listPrewarms(deps.db, ['ready'])
        .map((p) => ({ id: p.prewarm_id, sidecar: p.sidecar, ready_since: p.updated_at }));
      if (options.json)
        writeJson(context.io.stdout, {
          instances: shown.map((s) => instanceJson(s.row, now, s.extras)),
          prewarmed,
        });
      else {
        writeLine(context.io.stdout, renderInstances(shown, now));
        if (prewarmed.length > 0)
          writeLine(
            context.io.stdout,
            `prewarmed: ${prewarmed.length} DinD sidecar(s) ready for the next load (${prewarmed.map((p) => p.id).join(', ')})`,
          );
      }
    });
}
