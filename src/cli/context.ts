import type { App } from '../app/app.js';
import type { CliIo } from './io.js';

/** What every command file receives: the lazily built app and where to write. */
export interface CliContext {
  readonly io: CliIo;
  /** Builds the composition root on first use (commands that only print help never open anything). */
  app(): App;
}
