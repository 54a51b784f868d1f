import type BetterSqlite3 from 'better-sqlite3';
import { isBusy, lockedLog } from '../db/busy.js';
import { prepare } from '../db/open.js';
import type { SqlStatement, SqliteConnection } from '../db/open.js';
import { JackinError } from '../kernel/errors.js';
import type { EventType } from './catalog/index.js';
import { decodeRow, validateNewEvent } from './codec.js';
import type { EventRow } from './codec.js';
import type { AppendContext } from './context.js';
import type { AnyRecordedEvent, EventMetadata, NewEvent } from './envelope.js';
import { assertExpectedVersion } from './expected-version.js';
import { GENESIS_HASH, eventHash } from './hash.js';
import type { AppendOptions, AppendResult, EventStore, ReadAllOptions } from './store.js';

/** Something applied to each event inside the append transaction (the projector). */
export interface InlineApplier {
  /** Names the projection set (`name:version,…`), stored in log_meta when it changes. */
  readonly signature: string;
  apply(db: SqliteConnection, events: readonly AnyRecordedEvent[]): void;
  /** Called in the append transaction when the head was written by a different projection set. */
  catchUp(db: SqliteConnection, headSignature: string): void;
}

const SQL = {
  version: 'SELECT coalesce(max(stream_version), 0) AS v FROM events WHERE stream_id = ?',
  head: 'SELECT global_position AS position, hash FROM events ORDER BY global_position DESC LIMIT 1',
  meta: 'SELECT projections FROM log_meta WHERE id = 1',
  insert: `INSERT INTO events (global_position, stream_id, stream_version, type, schema_version, data, metadata,
             recorded_at, prev_hash, hash)
           VALUES (@global_position, @stream_id, @stream_version, @type, @schema_version, @data, @metadata,
             @recorded_at, @prev_hash, @hash)`,
  setMeta: `INSERT INTO log_meta (id, projections) VALUES (1, ?)
            ON CONFLICT(id) DO UPDATE SET projections = excluded.projections`,
  stream: 'SELECT * FROM events WHERE stream_id = ? ORDER BY stream_version',
  last: 'SELECT coalesce(max(global_position), 0) AS p FROM events',
};

interface PreparedEvent {
  readonly type: EventType;
  readonly version: number;
  readonly value: unknown;
  readonly meta: EventMetadata;
  readonly data: string;
  readonly metadata: string;
}

interface Head {
  position: number;
  hash: string;
}

/**
 * The SQLite event store. Appends run under BEGIN IMMEDIATE (one writer at a time across processes,
 * waiting up to busy_timeout), check the expected version, extend the hash chain and apply the inline
 * projections before commit.
 */
export class SqliteEventStore implements EventStore {
  private readonly statements: { [K in keyof typeof SQL]: SqlStatement };
  private readonly appendTx: BetterSqlite3.Transaction<
    (streamId: string, prepared: readonly PreparedEvent[], options: AppendOptions) => AppendResult
  >;

  constructor(
    readonly db: SqliteConnection,
    private readonly context: AppendContext,
    private readonly applier?: InlineApplier,
  ) {
    this.statements = Object.fromEntries(
      Object.entries(SQL).map(([k, v]) => [k, prepare(db, v)]),
    ) as typeof this.statements;
    this.appendTx = db.transaction(
      (streamId: string, prepared: readonly PreparedEvent[], options: AppendOptions) =>
        this.appendInTransaction(streamId, prepared, options),
    );
  }

  append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    try {
      return Promise.resolve(this.appendSync(streamId, events, options));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** The synchronous append, for callers already on the SQLite connection (import, benchmarks). */
  appendSync(streamId: string, events: readonly NewEvent[], options: AppendOptions): AppendResult {
    if (streamId.length === 0) throw new JackinError('invalid_event', 'stream id must not be empty');
    if (events.length === 0) throw new JackinError('invalid_event', 'nothing to append');
    const { ids, correlationId, host, jackinVersion } = this.context;
    const actor = options.actor ?? this.context.actor;
    const prepared = events.map((event) => {
      const valid = validateNewEvent(event);
      const metadata: EventMetadata = {
        event_id: ids.uuid(),
        correlation_id: correlationId,
        causation_id: options.causationId ?? null,
        actor,
        host,
        jackin_version: jackinVersion,
      };
      return {
        type: valid.type,
        version: valid.version,
        value: valid.data,
        meta: metadata,
        data: JSON.stringify(valid.data),
        metadata: JSON.stringify(metadata),
      };
    });
    try {
      return this.appendTx.immediate(streamId, prepared, options);
    } catch (error) {
      throw isBusy(error) ? lockedLog(error) : error;
    }
  }

  private appendInTransaction(
    streamId: string,
    prepared: readonly PreparedEvent[],
    options: AppendOptions,
  ): AppendResult {
    const current = (this.statements.version.get(streamId) as { v: number }).v;
    assertExpectedVersion(streamId, options.expectedVersion, current);
    const head = (this.statements.head.get() as Head | undefined) ?? { position: 0, hash: GENESIS_HASH };
    if (this.applier) {
      // Another writer's projection set may have skipped some of ours: catch up, then claim the log.
      const written = (this.statements.meta.get() as { projections: string } | undefined)?.projections;
      if (written !== this.applier.signature) {
        if (written !== undefined && head.position > 0) this.applier.catchUp(this.db, written);
        this.statements.setMeta.run(this.applier.signature);
      }
    }
    const recordedAt = this.context.clock.now().toISOString();
    const recorded: AnyRecordedEvent[] = [];
    let { position, hash } = head;
    let version = current;
    for (const event of prepared) {
      position += 1;
      version += 1;
      const row = {
        global_position: position,
        stream_id: streamId,
        stream_version: version,
        type: event.type,
        schema_version: event.version,
        data: event.data,
        metadata: event.metadata,
        recorded_at: recordedAt,
        prev_hash: hash,
      };
      hash = eventHash(row);
      this.statements.insert.run({ ...row, hash });
      recorded.push({
        globalPosition: position,
        streamId,
        streamVersion: version,
        type: event.type,
        schemaVersion: event.version,
        data: event.value,
        metadata: event.meta,
        recordedAt,
        prevHash: row.prev_hash,
        hash,
      } as AnyRecordedEvent);
    }
    this.applier?.apply(this.db, recorded);
    return { nextVersion: version, lastPosition: position, events: recorded };
  }

  readStream(streamId: string): Promise<readonly AnyRecordedEvent[]> {
    return Promise.resolve((this.statements.stream.all(streamId) as EventRow[]).map(decodeRow));
  }

  readAll(options: ReadAllOptions = {}): Promise<readonly AnyRecordedEvent[]> {
    return Promise.resolve([...this.iterateRows(options)].map(decodeRow));
  }

  /** Streams rows in global order without materialising the whole log (rebuild, export, verify). */
  *iterateRows(options: ReadAllOptions = {}): IterableIterator<EventRow> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (options.after !== undefined) {
      where.push('global_position > ?');
      params.push(options.after);
    }
    if (options.upTo !== undefined) {
      where.push('global_position <= ?');
      params.push(options.upTo);
    }
    if (options.since !== undefined) {
      where.push('recorded_at >= ?');
      params.push(options.since);
    }
    if (options.until !== undefined) {
      where.push('recorded_at <= ?');
      params.push(options.until);
    }
    if (options.types?.length) {
      where.push(`type IN (${options.types.map(() => '?').join(', ')})`);
      params.push(...options.types);
    }
    if (options.streamIds?.length) {
      where.push(`stream_id IN (${options.streamIds.map(() => '?').join(', ')})`);
      params.push(...options.streamIds);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    if (options.tail && options.limit !== undefined) {
      const sql = `SELECT * FROM (SELECT * FROM events ${filter} ORDER BY global_position DESC LIMIT ?) ORDER BY global_position`;
      yield* prepare(this.db, sql).iterate(...params, options.limit) as IterableIterator<EventRow>;
      return;
    }
    const limit = options.limit !== undefined ? ' LIMIT ?' : '';
    if (options.limit !== undefined) params.push(options.limit);
    yield* prepare(this.db, `SELECT * FROM events ${filter} ORDER BY global_position${limit}`).iterate(
      ...params,
    ) as IterableIterator<EventRow>;
  }

  streamVersion(streamId: string): Promise<number> {
    return Promise.resolve((this.statements.version.get(streamId) as { v: number }).v);
  }

  lastPosition(): Promise<number> {
    return Promise.resolve(this.lastPositionSync());
  }

  lastPositionSync(): number {
    return (this.statements.last.get() as { p: number }).p;
  }
}
