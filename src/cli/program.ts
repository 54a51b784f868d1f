import { Command } from 'commander';
import { readJackinVersion } from '../kernel/version.js';
import type { CliContext } from './context.js';
import { commandModules } from './commands/index.js';

/** The commander program with every command registered from its own file. */
export function buildProgram(context: CliContext): Command {
  const program = new Command('jackin')
    .description(
      'Run autonomous AI coding agents at full speed, each in an isolated Docker world, on an audited event log.',
    )
    .version(readJackinVersion(), '-V, --version', 'print the jackin version')
    .option('--debug', 'log debug output to stderr and show stack traces')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
      outputError: () => undefined,
    });
  for (const register of commandModules) register(program, context);
  return program;
}
