import type { App } from '../app/app.js';
import type { CliIo } from './io.js';

/** What every command file receives: the lazily built app and where to write. */
export interface CliContext {
  readonly io: CliIo;
  /**
   * Builds the composition root on first use. Async because the app module (SQLite, the event
   * catalog, the logger) is only imported then: `--version`, `--help` and bad flags never load it.
   */
  app(): Promise<App>;
}
