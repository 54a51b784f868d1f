import type { Command } from 'commander';
import { parseDuration } from '../../kernel/time.js';
import type { PollRound } from '../../workers/link-poller.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { followUntilSignal } from './history.js';

function summary(round: PollRound): string {
  const limited = round.rateLimitedUntil ? `; rate limited until ${round.rateLimitedUntil}` : '';
  return `checked ${round.checked}, changed ${round.changed}, not modified ${round.notModified}, failed ${round.failed}${limited}`;
}

export function registerLinksPoll(links: Command, context: CliContext): void {
  links
    .command('poll')
    .description('follow every open link on GitHub (conditional requests), recording real changes')
    .option('--once', 'one round, then exit')
    .option('--interval <duration>', 'time between rounds', '60s')
    .option('--json', 'with --once: print {"poll":{...}}')
    .action(async (options: { once?: boolean; interval: string; json?: boolean }) => {
      const intervalMs = parseDuration(options.interval, '--interval');
      const [app, { LinkPoller }, { createGithub }] = await Promise.all([
        context.app(),
        import('../../workers/link-poller.js'),
        import('../../app/github.js'),
      ]);
      const { store } = await app.eventLog();
      const { client } = await createGithub(app);
      const poller = new LinkPoller({
        db: store.db,
        store,
        github: client,
        clock: app.clock,
        logger: app.logger,
      });
      if (options.once) {
        const round = await poller.pollOnce();
        // `jackin links` has its own --json, which commander gives the parent when both are there.
        const json = options.json === true || links.opts<{ json?: boolean }>().json === true;
        if (json) writeJson(context.io.stdout, { poll: round });
        else writeLine(context.io.stdout, summary(round));
        return;
      }
      let next = 0;
      await followUntilSignal(async () => {
        if (Date.now() < next) return;
        const round = await poller.pollOnce();
        writeLine(context.io.stdout, `${app.clock.now().toISOString()}  ${summary(round)}`);
        next = Math.max(Date.now() + intervalMs, poller.resumesAt);
      }, 250);
    });
}
