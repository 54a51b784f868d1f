import type { z } from 'zod';
import type { Catalog, EventType } from './catalog/index.js';

export type EventData<T extends EventType> = z.output<Catalog[T]['schema']>;
export type EventInput<T extends EventType> = z.input<Catalog[T]['schema']>;

/** Who caused an append: the operator's CLI, a worker process, or the reconciler. */
export type Actor = 'operator' | 'reconciler' | `worker:${string}` | 'console' | 'import';

export interface EventMetadata {
  readonly event_id: string;
  readonly correlation_id: string;
  readonly causation_id: string | null;
  readonly actor: Actor;
  readonly host: string;
  readonly jackin_version: string;
}

/** An event before it is written: a type from the catalog and its payload. */
export type NewEvent = { [T in EventType]: { readonly type: T; readonly data: EventInput<T> } }[EventType];

/** An event as stored, after upcasting to the current schema version. */
export interface RecordedEvent<T extends EventType = EventType> {
  readonly globalPosition: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: T;
  readonly schemaVersion: number;
  readonly data: EventData<T>;
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
  readonly prevHash: string;
  readonly hash: string;
}

export type AnyRecordedEvent = { [T in EventType]: RecordedEvent<T> }[EventType];

/** Narrows a recorded event to one type. */
export function isEventOf<T extends EventType>(
  event: AnyRecordedEvent,
  type: T,
): event is RecordedEvent<T> & AnyRecordedEvent {
  return event.type === type;
}
