import type { AnyRecordedEvent, Actor, NewEvent } from './envelope.js';
import type { ExpectedVersion } from './expected-version.js';
import type { EventType } from './catalog/index.js';

export interface AppendOptions {
  readonly expectedVersion: ExpectedVersion;
  readonly causationId?: string | undefined;
  readonly actor?: Actor | undefined;
}

export interface AppendResult {
  /** The stream's version after the append. */
  readonly nextVersion: number;
  /** Global position of the last appended event. */
  readonly lastPosition: number;
  readonly events: readonly AnyRecordedEvent[];
}

export interface ReadAllOptions {
  /** Exclusive lower bound on global position. */
  readonly after?: number | undefined;
  /** Inclusive upper bound on global position. */
  readonly upTo?: number | undefined;
  readonly limit?: number | undefined;
  readonly types?: readonly EventType[] | undefined;
  readonly streamIds?: readonly string[] | undefined;
  /** ISO bounds on recorded_at (inclusive). */
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  /** Return the newest `limit` events (still in ascending order). */
  readonly tail?: boolean | undefined;
}

/** The append-only event log. Implementations: SQLite (real) and in-memory (fast tests). */
export interface EventStore {
  /** Appends events to one stream atomically, checking the expected version. */
  append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** Reads one stream in version order. */
  readStream(streamId: string): Promise<readonly AnyRecordedEvent[]>;
  /** Reads the whole log in global order, filtered. */
  readAll(options?: ReadAllOptions): Promise<readonly AnyRecordedEvent[]>;
  /** Current version of a stream (0 = empty). */
  streamVersion(streamId: string): Promise<number>;
  /** Highest global position (0 = empty log). */
  lastPosition(): Promise<number>;
}
