import type { Command } from 'commander';
import { JackinError } from '../../kernel/errors.js';
import type { CliContext } from '../context.js';
import { instanceDeps, reconcileQuietly } from '../instance-session.js';
import { writeJson, writeLine } from '../io.js';

/** `jackin exile`: eject every instance (state is kept). */
export function registerExile(program: Command, context: CliContext): void {
  program
    .command('exile')
    .description('eject every instance (containers, sidecars, networks, certs volumes); their state is kept')
    .option('--json', 'print {"instances":[...],"failed":[...],"prewarms":[...]}')
    .action(async (options: { json?: boolean }) => {
      const [deps, { exileAll }] = await Promise.all([
        instanceDeps(context, { quiet: true }),
        import('../../engine/instances/eject.js'),
      ]);
      await reconcileQuietly(context, deps);
      const { ejected, failed } = await exileAll(deps);
      // Prewarmed sidecars go too (ADR 0020): exile leaves no running jackin container.
      const { discardReadyPrewarms } = await import('../../engine/instances/prewarm.js');
      const prewarms = await discardReadyPrewarms(deps, 'exiled');
      if (options.json) writeJson(context.io.stdout, { instances: ejected, failed, prewarms });
      else {
        for (const id of prewarms)
          writeLine(context.io.stdout, `Discarding prewarmed sidecar ${id.padEnd(21)} OK`);
        for (const r of ejected) writeLine(context.io.stdout, `Stopping ${r.name.padEnd(40)} OK`);
        for (const f of failed)
          writeLine(context.io.stdout, `Stopping ${f.name.padEnd(40)} FAILED\n  ${f.reason}`);
        if (ejected.length + failed.length + prewarms.length === 0)
          writeLine(context.io.stdout, 'no instance to eject');
      }
      if (failed.length > 0)
        throw new JackinError('operation_failed', `${failed.length} instance(s) could not be ejected`);
    });
}
