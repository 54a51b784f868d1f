import type { Command } from 'commander';
import { UsageError } from '../../kernel/errors.js';
import type { CliContext } from '../context.js';
import { instanceDeps } from '../instance-session.js';
import type { CliIo } from '../io.js';

/** The smallest terminal the console renders in without overflow. */
export const CONSOLE_MIN_COLUMNS = 80;
export const CONSOLE_MIN_ROWS = 24;

export type TerminalCheck =
  | { readonly kind: 'ok'; readonly stdin: NodeJS.ReadStream; readonly stdout: NodeJS.WriteStream }
  | { readonly kind: 'not_tty' }
  | { readonly kind: 'too_small'; readonly columns: number; readonly rows: number };

/** Whether the console can run here: an interactive terminal of at least 80×24. */
export function checkConsoleTerminal(io: CliIo): TerminalCheck {
  if (!io.stdinIsTTY || !io.stdoutIsTTY || io.terminal === undefined) return { kind: 'not_tty' };
  const { columns, rows } = io.terminal.stdout;
  if ((columns ?? 0) < CONSOLE_MIN_COLUMNS || (rows ?? 0) < CONSOLE_MIN_ROWS)
    return { kind: 'too_small', columns: columns ?? 0, rows: rows ?? 0 };
  return { kind: 'ok', stdin: io.terminal.stdin, stdout: io.terminal.stdout };
}

export function tooSmallError(columns: number, rows: number): UsageError {
  return new UsageError(
    `the console needs a terminal of at least ${CONSOLE_MIN_COLUMNS}×${CONSOLE_MIN_ROWS}; this one is ${columns}×${rows}`,
    { hint: 'enlarge the window, or use `jackin history --follow` in a small one' },
  );
}

/** Runs the console until the operator quits. Ink and the adapters are imported here, lazily, so other commands stay fast. */
export async function launchConsole(
  context: CliContext,
  terminal: Extract<TerminalCheck, { kind: 'ok' }>,
): Promise<void> {
  const [app, { instanceConsoleEngines, taskConsoleEngines }, { createConsoleAdapters }] = await Promise.all([
    context.app(),
    import('../../app/console/console-engines.js'),
    import('../../app/console/index.js'),
  ]);
  // No prompts: Ink owns the terminal, so a launch needing a confirmation refuses instead.
  const { store } = await app.eventLog();
  const engines = {
    ...instanceConsoleEngines(await instanceDeps(context, { quiet: true, prompts: false })),
    ...taskConsoleEngines(store),
  };
  const adapters = await createConsoleAdapters(app, { engines });
  try {
    const { runConsole } = await import('../../console/run.js');
    await runConsole({
      data: adapters.data,
      actions: adapters.actions,
      color: adapters.color,
      now: () => app.clock.now().getTime(),
      stdin: terminal.stdin,
      stdout: terminal.stdout,
    });
  } finally {
    adapters.close();
  }
}

export function registerConsole(program: Command, context: CliContext): void {
  program
    .command('console')
    .description('the live fleet console: instances, queue, links, history; attach, launch, eject')
    .action(async () => {
      const check = checkConsoleTerminal(context.io);
      if (check.kind === 'not_tty') {
        throw new UsageError('the console needs an interactive terminal', {
          hint: 'run it in a terminal, or use `jackin history --follow` for a plain stream',
        });
      }
      if (check.kind === 'too_small') throw tooSmallError(check.columns, check.rows);
      await launchConsole(context, check);
    });
}
