import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { NotFoundError } from '../../kernel/errors.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';

async function readInput(file: string | undefined): Promise<string> {
  if (file === undefined || file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new NotFoundError(`cannot read ${file}`, {
      hint: 'give the path of a `jackin events export` file, or - for stdin',
    });
  }
}

export function registerEventsImport(events: Command, context: CliContext): void {
  events
    .command('import')
    .description('load a JSON Lines export into an empty log (checks the hash chain; all or nothing)')
    .argument('[file]', 'export file, or - for stdin', '-')
    .option('--json', 'print {"import":{...}}')
    .action(async (file: string | undefined, options: { json?: boolean }) => {
      const text = await readInput(file);
      const { importLines } = await import('../../events/transfer.js');
      const { database, projector } = await (await context.app()).eventLog();
      const count = importLines(database.sqlite, text.split('\n'));
      projector.rebuild();
      if (options.json) writeJson(context.io.stdout, { import: { events: count } });
      else writeLine(context.io.stdout, `imported ${count} events; projections rebuilt`);
    });
}
