import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys whose values are never written, at any depth pino's redaction reaches. Values that must be
 * logged for debugging are fingerprinted by the caller instead.
 */
export const REDACTED_KEYS = [
  'password',
  'passwd',
  'secret',
  'token',
  'apiKey',
  'api_key',
  'authorization',
  'cookie',
  'credentials',
  'privateKey',
  'private_key',
  'value',
  'env',
] as const;

const redactPaths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export interface LoggerOptions {
  readonly logDir: string;
  readonly debug: boolean;
  readonly name?: string;
}

/** JSON lines to `<logDir>/jackin.log`; with debug also to stderr. Never stdout. */
export function createLogger(options: LoggerOptions): Logger {
  mkdirSync(options.logDir, { recursive: true, mode: 0o700 });
  const file = pino.destination({ dest: join(options.logDir, 'jackin.log'), mkdir: true, sync: true });
  const streams: pino.StreamEntry[] = [{ stream: file, level: options.debug ? 'debug' : 'info' }];
  if (options.debug) streams.push({ stream: pino.destination({ fd: 2, sync: true }), level: 'debug' });
  return pino(
    {
      name: options.name ?? 'jackin',
      level: options.debug ? 'debug' : 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    pino.multistream(streams),
  );
}

/** A logger that writes nothing, for tests and for commands that run before the state dir exists. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
