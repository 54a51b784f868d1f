import type { Command } from 'commander';
import { JackinError } from '../../kernel/errors.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';

export function registerEventsVerify(events: Command, context: CliContext): void {
  events
    .command('verify')
    .description('check the hash chain and that stored projections equal a fresh rebuild')
    .option('--json', 'print {"verify":{...}}')
    .action(async (options: { json?: boolean }) => {
      const [app, { verifyChain }, { diffProjections }] = await Promise.all([
        context.app(),
        import('../../events/integrity.js'),
        import('../../projections/verify.js'),
      ]);
      const { database, projector } = await app.eventLog();
      const chain = verifyChain(database.sqlite);
      const drifted = chain.firstProblem ? [] : diffProjections(database.sqlite, projector.projections);
      const ok = !chain.firstProblem && drifted.length === 0;
      const report = {
        ok,
        events: chain.events,
        first_bad_position: chain.firstProblem?.position ?? null,
        problem: chain.firstProblem?.problem ?? null,
        projections_drifted: drifted,
      };
      if (chain.firstProblem) {
        throw new JackinError(
          'integrity_failed',
          `event log integrity broken at position ${chain.firstProblem.position}: ${chain.firstProblem.problem}`,
          {
            hint: 'restore from a `jackin events export` backup; the log was changed outside jackin',
            json: { verify: report },
          },
        );
      }
      if (drifted.length > 0) {
        throw new JackinError(
          'integrity_failed',
          `projections differ from a rebuild: ${drifted.join(', ')}`,
          { hint: 'run `jackin events rebuild`', json: { verify: report } },
        );
      }
      if (options.json) writeJson(context.io.stdout, { verify: report });
      else
        writeLine(
          context.io.stdout,
          `ok: ${chain.events} events, hash chain intact, projections match a rebuild`,
        );
    });
}
