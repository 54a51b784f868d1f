import type { CliContext } from './context.js';
import { buildProgram } from './program.js';

/** Bare `jackin`: the console on an interactive terminal, help text otherwise. */
export function runBareJackin(context: CliContext): Promise<number> {
  buildProgram(context).outputHelp();
  return Promise.resolve(0);
}
