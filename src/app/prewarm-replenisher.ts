import type { App } from './app.js';
import { startBackgroundJackin } from './background.js';

/**
 * Starts `jackin prewarm` in the background (ADR 0020): with `[prewarm] sidecars = N` a load tops the
 * pool back up to N while the operator works, so the load itself returns at once. Output goes to
 * `<JACKIN_HOME>/logs/prewarm.log`; `JACKIN_PREWARM=0` turns it off.
 */
export function prewarmReplenisher(app: App): () => void {
  return () => {
    if (app.env.JACKIN_PREWARM === '0') return;
    startBackgroundJackin(app, ['prewarm'], 'prewarm.log');
  };
}
