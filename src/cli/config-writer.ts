import { homedir } from 'node:os';
import type { ConfigStore } from '../config/config-store.js';
import type { NewEvent } from '../events/envelope.js';
import type { PathContext } from '../workspaces/mount-spec.js';
import type { CliContext } from './context.js';

/** What config and workspace commands need: the files, a way to record events, and path context. */
export interface ConfigSession {
  readonly files: ConfigStore;
  readonly paths: PathContext;
  /** Appends to a stream at its current version (call while holding the file's lock). */
  record(streamId: string, events: readonly NewEvent[]): Promise<void>;
}

/** Builds the session inside a command's action (the config store and the app load only then). */
export async function configSession(context: CliContext): Promise<ConfigSession> {
  const [app, { ConfigStore }, { appendAtCurrentVersion }] = await Promise.all([
    context.app(),
    import('../config/config-store.js'),
    import('../engine/config/record.js'),
  ]);
  return {
    files: new ConfigStore(app.paths.configDir),
    paths: { home: context.io.env.HOME ?? homedir(), cwd: context.io.cwd },
    async record(streamId, events) {
      const { store } = await app.eventLog();
      await appendAtCurrentVersion(store, streamId, events);
    },
  };
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
