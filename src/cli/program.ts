import { Command } from 'commander';
import { readJackinVersion } from '../kernel/version.js';
import type { CliContext } from './context.js';
import { commandModules } from './commands/index.js';
import type { CommandModule } from './commands/index.js';

/**
 * The command modules a run needs: only the invoked one when the first operand names a command
 * (its options, subcommands and help are all it uses), every one otherwise — `--help`, `help`,
 * a typo that wants "did you mean", the docs generator.
 */
export function modulesFor(args: readonly string[] | undefined): readonly CommandModule[] {
  const first = args?.find((arg) => !arg.startsWith('-'));
  const invoked = first === undefined ? undefined : commandModules.find((m) => m.names.includes(first));
  return invoked ? [invoked] : commandModules;
}

/**
 * The commander program with commands registered from their own files. `args` (argv without node
 * and the script) narrows registration to the invoked command; without it every command is
 * registered.
 */
export function buildProgram(context: CliContext, args?: readonly string[]): Command {
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
  for (const { register } of modulesFor(args)) register(program, context);
  return program;
}
