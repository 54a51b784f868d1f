import { startBackgroundJackin } from './background.js';
import type { StatusWatchDeps, StatusWatcherStarter } from '../engine/instances/status-watch.js';
import type { ContainerRuntime } from '../runtime/port.js';
import type { App } from './app.js';

/**
 * Starts `jackin watch <instance>` in the background (ADR 0016). Its output goes to
 * `<JACKIN_HOME>/logs/watch-<instance>.log`; a second start for the same instance exits at once (the
 * watcher's pid file). `JACKIN_STATUS_WATCH=0` turns it off.
 */
export function statusWatcherStarter(app: App): StatusWatcherStarter {
  return (instanceId) => {
    if (app.env.JACKIN_STATUS_WATCH === '0') return;
    startBackgroundJackin(app, ['watch', instanceId], `watch-${instanceId}.log`);
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
