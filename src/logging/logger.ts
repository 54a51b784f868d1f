import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type pinoModule from 'pino';
import type { Logger } from 'pino';
import { redactSecrets, scrubSecretValues } from './redact.js';

export type { Logger } from 'pino';
export { CENSOR, isSecretKey, redactSecrets, scrubSecretValues } from './redact.js';

export const LOG_FILE_NAME = 'jackin.log';

/** pino (CommonJS), required when the first logger is made: most commands never write a line. */
const loadPino = (): typeof pinoModule => createRequire(import.meta.url)('pino') as typeof pinoModule;

export interface LoggerOptions {
  readonly logDir: string;
  readonly debug: boolean;
  readonly name?: string;
  /** Where debug lines and the "cannot write logs" warning go; fd 2 unless a test replaces it. */
  readonly stderr?: pinoModule.DestinationStream;
}

/**
 * JSON lines to `<logDir>/jackin.log`; with debug also to stderr. Never stdout: stdout carries command
 * results (`--json`). Every object, binding, error and message passes through the secret redaction.
 * A log directory that cannot be written costs the log file, never the command.
 */
export function createLogger(options: LoggerOptions): Logger {
  const pino = loadPino();
  const level = options.debug ? 'debug' : 'info';
  const stderr = options.stderr ?? pino.destination({ fd: 2, sync: true });
  const streams: pinoModule.StreamEntry[] = [];
  try {
    mkdirSync(options.logDir, { recursive: true, mode: 0o700 });
    streams.push({
      stream: pino.destination({ dest: join(options.logDir, LOG_FILE_NAME), sync: true }),
      level,
    });
  } catch (error) {
    stderr.write(
      `jackin: warning: cannot write logs to ${options.logDir}: ${(error as Error).message} (check \`jackin doctor\`)\n`,
    );
  }
  if (options.debug) streams.push({ stream: stderr, level: 'debug' });
  if (streams.length === 0) return silentLogger();
  const logger = pino(
    {
      name: options.name ?? 'jackin',
      level,
      serializers: { err: (error: unknown) => redactSecrets(error) },
      formatters: {
        bindings: (bindings) => redactSecrets(bindings) as Record<string, unknown>,
        log: (object) => redactSecrets(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg: unknown) =>
            typeof arg === 'string' ? scrubSecretValues(arg) : arg,
          );
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    pino.multistream(streams),
  );
  return redactingChildren(logger);
}

// pino's `formatters.bindings` sees only the root bindings (pid, hostname): child bindings are
// serialized once at child() time, so they are redacted here, for children of children too.
function redactingChildren(logger: Logger): Logger {
  const child = logger.child.bind(logger) as unknown as (
    bindings: pinoModule.Bindings,
    options?: pinoModule.ChildLoggerOptions,
  ) => Logger;
  const redacting = (bindings: pinoModule.Bindings, options?: pinoModule.ChildLoggerOptions): Logger =>
    redactingChildren(child(redactSecrets(bindings) as pinoModule.Bindings, options));
  logger.child = redacting as unknown as Logger['child'];
  return logger;
}

/** A logger that writes nothing, for tests and for commands that run before the state dir exists. */
export function silentLogger(): Logger {
  return loadPino()({ level: 'silent' });
}
