import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { deferExtraCaCerts } from '../kernel/deferred-ca.js';
import { shippedPath } from '../kernel/install-root.js';
import type { App } from './app.js';

/** Niceness of background jackin processes: they yield the CPU to commands the operator waits on. */
const BACKGROUND_NICENESS = 10;

/**
 * Starts `jackin <args>` as a detached process that outlives the command, its output appended to
 * `<JACKIN_HOME>/logs/<logName>`. It runs at a lower CPU priority: a watcher or a pool top-up is
 * never what the operator is waiting for, and on a small machine it would otherwise compete with
 * the next launches (10 parallel loads start 10 watchers). Returns the process id, if one started.
 */
export function startBackgroundJackin(
  app: Pick<App, 'env' | 'paths'>,
  args: readonly string[],
  logName: string,
): number | undefined {
  const bin = shippedPath('bin', 'jackin.js');
  if (!bin) return undefined;
  mkdirSync(app.paths.logs, { recursive: true, mode: 0o700 });
  const log = openSync(join(app.paths.logs, logName), 'a', 0o600);
  try {
    const child = spawn(process.execPath, [bin, ...args], {
      detached: true,
      stdio: ['ignore', log, log],
      // as the `jackin` launcher would start it: without node parsing NODE_EXTRA_CA_CERTS first
      env: deferExtraCaCerts(app.env),
    });
    child.on('error', () => undefined);
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, BACKGROUND_NICENESS);
      } catch {
        // not permitted here: it runs at normal priority
      }
    }
    child.unref();
    return child.pid;
  } finally {
    closeSync(log);
  }
}
