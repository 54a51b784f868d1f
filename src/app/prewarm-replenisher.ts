import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { shippedPath } from '../kernel/install-root.js';
import type { App } from './app.js';

/**
 * Starts `jackin prewarm` as a detached process that outlives the launch (ADR 0020): with
 * `[prewarm] sidecars = N` a load tops the pool back up to N while the operator works, so the load
 * itself returns at once. Output goes to `<JACKIN_HOME>/logs/prewarm.log`; `JACKIN_PREWARM=0` turns
 * it off.
 */
export function prewarmReplenisher(app: App): () => void {
  return () => {
    const bin = shippedPath('bin', 'jackin.js');
    if (!bin || app.env.JACKIN_PREWARM === '0') return;
    mkdirSync(app.paths.logs, { recursive: true, mode: 0o700 });
    const log = openSync(join(app.paths.logs, 'prewarm.log'), 'a', 0o600);
    try {
      const child = spawn(process.execPath, [bin, 'prewarm'], {
        detached: true,
        stdio: ['ignore', log, log],
        env: app.env,
      });
      child.on('error', () => undefined);
      child.unref();
    } finally {
      closeSync(log);
    }
  };
}
