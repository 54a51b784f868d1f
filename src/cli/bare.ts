import type { CliContext } from './context.js';
import { checkConsoleTerminal, launchConsole, tooSmallError } from './commands/console.js';
import { buildProgram } from './program.js';

/** Bare `jackin`: the console on an interactive terminal, help text otherwise. */
export async function runBareJackin(context: CliContext): Promise<number> {
  const check = checkConsoleTerminal(context.io);
  if (check.kind === 'not_tty') {
    buildProgram(context).outputHelp();
    return 0;
  }
  if (check.kind === 'too_small') throw tooSmallError(check.columns, check.rows);
  await launchConsole(context, check);
  return 0;
}
