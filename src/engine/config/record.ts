import type { NewEvent } from '../../events/envelope.js';
import type { EventStore } from '../../events/store.js';

/**
 * Appends to a config or workspace stream at its exact current version. Callers hold the file's
 * lock, so the version cannot move underneath them except through a foreign writer, which then
 * surfaces as a VersionConflictError instead of a silently interleaved history.
 */
export async function appendAtCurrentVersion(
  store: EventStore,
  streamId: string,
  events: readonly NewEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const version = await store.streamVersion(streamId);
  await store.append(streamId, events, { expectedVersion: version === 0 ? 'no_stream' : version });
}

export const CONFIG_STREAM = 'config';

export function workspaceStream(name: string): string {
  return `workspace-${name}`;
}
