import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';

export function registerImagesPrune(images: Command, context: CliContext): void {
  images
    .command('prune')
    .description(
      'remove jackin images no container references (derived images; --all adds construct, DinD, base)',
    )
    .option('--all', 'also remove the shared construct, DinD and base images')
    .option('--json', 'print {"removed":[...],"skipped":[...]}')
    .action(async (flags: { all?: boolean; json?: boolean }) => {
      const [app, { containerRuntime }, { pruneJackinImages }] = await Promise.all([
        context.app(),
        import('../../app/images.js'),
        import('../../images/inventory.js'),
      ]);
      const result = await pruneJackinImages(containerRuntime(app), { all: flags.all ?? false });
      if (flags.json) {
        writeJson(context.io.stdout, result);
        return;
      }
      for (const r of result.removed)
        writeLine(context.io.stdout, `${(r.tags[0] ?? r.id.slice(7, 19)).padEnd(50)} OK`);
      for (const s of result.skipped)
        writeLine(context.io.stdout, `${(s.tags[0] ?? s.id.slice(7, 19)).padEnd(50)} SKIP  ${s.reason}`);
      writeLine(context.io.stdout, `removed ${result.removed.length}, skipped ${result.skipped.length}`);
    });
}
