import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { shippedPath } from '../kernel/install-root.js';
import type { StatusWatchDeps, StatusWatcherStarter } from '../engine/instances/status-watch.js';
import type { ContainerRuntime } from '../runtime/port.js';
import type { App } from './app.js';

/**
 * Starts `jackin watch <instance>` as a detached process that outlives the command (ADR 0016). Its
 * output goes to `<JACKIN_HOME>/logs/watch-<instance>.log`; a second start for the same instance
 * exits at once (the watcher's pid file). `JACKIN_STATUS_WATCH=0` turns it off.
 */
export function statusWatcherStarter(app: App): StatusWatcherStarter {
  return (instanceId) => {
    const bin = shippedPath('bin', 'jackin.js');
    if (!bin || app.env.JACKIN_STATUS_WATCH === '0') return;
    mkdirSync(app.paths.logs, { recursive: true, mode: 0o700 });
    const log = openSync(join(app.paths.logs, `watch-${instanceId}.log`), 'a', 0o600);
    try {
      const child = spawn(process.execPath, [bin, 'watch', instanceId], {
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

/** What `jackin watch` needs: the log, Docker, and the shipped plus the operator's rule packs. */
export async function statusWatchDeps(app: App, runtime: ContainerRuntime): Promise<StatusWatchDeps> {
  const [log, { loadRulePacks }, { rulePackDirs }] = await Promise.all([
    app.eventLog(),
    import('../agents/status/rule-pack.js'),
    import('../agents/status/packs-dir.js'),
  ]);
  const interval = Number(app.env.JACKIN_STATUS_INTERVAL_MS ?? '');
  return {
    store: log.store,
    runtime,
    packs: loadRulePacks(rulePackDirs(app.paths.home)),
    intervalMs: Number.isFinite(interval) && interval > 0 ? interval : 1000,
    dataDir: app.paths.data,
    onError: (error) => app.logger.debug({ err: error }, 'status capture failed'),
  };
}
