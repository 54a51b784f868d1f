import { CommanderError } from 'commander';
import type { App } from '../app/app.js';
import type { CliContext } from './context.js';
import { reportError, toJackinError } from './errors.js';
import { processIo } from './io.js';
import type { CliIo } from './io.js';
import { buildProgram } from './program.js';

/** The only place that decides the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const args = argv.slice(2);
  const json = args.includes('--json');
  const debug = args.includes('--debug') || io.env.JACKIN_DEBUG === '1';
  const env = debug ? { ...io.env, JACKIN_DEBUG: '1' } : io.env;
  let app: App | undefined;
  let building: Promise<App> | undefined;
  const context: CliContext = {
    io,
    // The composition root is imported on first use only: commander parsing and help stay cheap.
    app: () => (building ??= import('../app/app.js').then(({ createApp }) => (app = createApp({ env })))),
  };
  try {
    if (args.length === 0) {
      const { runBareJackin } = await import('./bare.js');
      return await runBareJackin(context);
    }
    await buildProgram(context, args).parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError && (error.exitCode === 0 || error.code === 'commander.helpDisplayed'))
      return 0;
    const failure = toJackinError(error);
    if (app && failure.code === 'internal') app.logger.error({ err: error }, 'command failed');
    return reportError(io, failure, { json, debug });
  } finally {
    await app?.close();
  }
}
