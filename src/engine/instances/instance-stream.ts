import type { EventType } from '../../events/catalog/index.js';
import type { AnyRecordedEvent, Actor, EventData, NewEvent } from '../../events/envelope.js';
import type { EventStore } from '../../events/store.js';

export function instanceStream(instanceId: string): string {
  return `instance-${instanceId}`;
}

/**
 * Appends to one instance stream at exact expected versions, one append at a time (stages run in
 * parallel but their outcomes are recorded in order). Anyone else writing the stream meanwhile
 * (a reconciler that judged this process dead) makes the next append fail with a conflict.
 */
export class InstanceWriter {
  private version: number;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    readonly instanceId: string,
    version: number,
    private readonly actor?: Actor,
  ) {
    this.version = version;
  }

  static async open(store: EventStore, instanceId: string, actor?: Actor): Promise<InstanceWriter> {
    return new InstanceWriter(
      store,
      instanceId,
      await store.streamVersion(instanceStream(instanceId)),
      actor,
    );
  }

  append(...events: NewEvent[]): Promise<void> {
    const next = this.queue.then(async () => {
      const result = await this.store.append(instanceStream(this.instanceId), events, {
        expectedVersion: this.version === 0 ? 'no_stream' : this.version,
        ...(this.actor ? { actor: this.actor } : {}),
      });
      this.version = result.nextVersion;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** The data of the latest event of a type in a stream, if any. */
export function latest<T extends EventType>(
  events: readonly AnyRecordedEvent[],
  type: T,
): EventData<T> | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.type === type) return event.data as EventData<T>;
  }
  return undefined;
}
