import { JackinError } from '../kernel/errors.js';
import { decodeRow, validateNewEvent } from './codec.js';
import type { EventRow } from './codec.js';
import type { AppendContext } from './context.js';
import type { AnyRecordedEvent, NewEvent } from './envelope.js';
import { assertExpectedVersion } from './expected-version.js';
import { GENESIS_HASH, eventHash } from './hash.js';
import type { AppendOptions, AppendResult, EventStore, ReadAllOptions } from './store.js';

/** An in-memory EventStore for fast unit tests; passes the same contract suite as the SQLite store. */
export class InMemoryEventStore implements EventStore {
  private readonly rows: EventRow[] = [];
  private readonly versions = new Map<string, number>();

  constructor(private readonly context: AppendContext) {}

  append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    try {
      if (streamId.length === 0) throw new JackinError('invalid_event', 'stream id must not be empty');
      if (events.length === 0) throw new JackinError('invalid_event', 'nothing to append');
      const valid = events.map(validateNewEvent);
      const current = this.versions.get(streamId) ?? 0;
      assertExpectedVersion(streamId, options.expectedVersion, current);
      const recordedAt = this.context.clock.now().toISOString();
      let version = current;
      const recorded: AnyRecordedEvent[] = [];
      for (const event of valid) {
        const last = this.rows.at(-1);
        version += 1;
        const row = {
          global_position: (last?.global_position ?? 0) + 1,
          stream_id: streamId,
          stream_version: version,
          type: event.type,
          schema_version: event.version,
          data: JSON.stringify(event.data),
          metadata: JSON.stringify({
            event_id: this.context.ids.uuid(),
            correlation_id: this.context.correlationId,
            causation_id: options.causationId ?? null,
            actor: options.actor ?? this.context.actor,
            host: this.context.host,
            jackin_version: this.context.jackinVersion,
          }),
          recorded_at: recordedAt,
          prev_hash: last?.hash ?? GENESIS_HASH,
        };
        const full = { ...row, hash: eventHash(row) };
        this.rows.push(full);
        recorded.push(decodeRow(full));
      }
      this.versions.set(streamId, version);
      return Promise.resolve({
        nextVersion: version,
        lastPosition: this.rows.at(-1)!.global_position,
        events: recorded,
      });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  readStream(streamId: string): Promise<readonly AnyRecordedEvent[]> {
    return Promise.resolve(this.rows.filter((r) => r.stream_id === streamId).map(decodeRow));
  }

  readAll(options: ReadAllOptions = {}): Promise<readonly AnyRecordedEvent[]> {
    let rows = this.rows.filter(
      (r) =>
        (options.after === undefined || r.global_position > options.after) &&
        (options.upTo === undefined || r.global_position <= options.upTo) &&
        (options.since === undefined || r.recorded_at >= options.since) &&
        (options.until === undefined || r.recorded_at <= options.until) &&
        (!options.types?.length || options.types.includes(r.type as never)) &&
        (!options.streamIds?.length || options.streamIds.includes(r.stream_id)),
    );
    if (options.limit !== undefined)
      rows = options.tail ? rows.slice(-options.limit) : rows.slice(0, options.limit);
    return Promise.resolve(rows.map(decodeRow));
  }

  streamVersion(streamId: string): Promise<number> {
    return Promise.resolve(this.versions.get(streamId) ?? 0);
  }

  lastPosition(): Promise<number> {
    return Promise.resolve(this.rows.at(-1)?.global_position ?? 0);
  }
}
