import type { SqliteConnection } from '../db/open.js';
import { JackinError } from '../kernel/errors.js';
import type { EventRow } from './codec.js';
import { GENESIS_HASH, eventHash } from './hash.js';

/** One JSON Lines record of `jackin events export`: the stored row, byte for byte. */
export function exportLine(row: EventRow): string {
  return JSON.stringify({
    global_position: row.global_position,
    stream_id: row.stream_id,
    stream_version: row.stream_version,
    type: row.type,
    schema_version: row.schema_version,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as unknown,
    recorded_at: row.recorded_at,
    prev_hash: row.prev_hash,
    hash: row.hash,
  });
}

function parseLine(line: string, lineNumber: number): EventRow {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new JackinError('invalid_input', `line ${lineNumber}: not valid JSON`);
  }
  const fields = [
    'global_position',
    'stream_id',
    'stream_version',
    'type',
    'schema_version',
    'recorded_at',
    'prev_hash',
    'hash',
  ];
  for (const field of fields) {
    if (value[field] === undefined)
      throw new JackinError('invalid_input', `line ${lineNumber}: missing ${field}`);
  }
  return {
    global_position: Number(value.global_position),
    stream_id: String(value.stream_id),
    stream_version: Number(value.stream_version),
    type: String(value.type),
    schema_version: Number(value.schema_version),
    data: JSON.stringify(value.data),
    metadata: JSON.stringify(value.metadata),
    recorded_at: String(value.recorded_at),
    prev_hash: String(value.prev_hash),
    hash: String(value.hash),
  };
}

/**
 * Imports an exported log into an empty one, checking the hash chain line by line; all or nothing.
 * Returns the number of events imported.
 */
export function importLines(db: SqliteConnection, lines: readonly string[]): number {
  const run = db.transaction(() => {
    const existing = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    if (existing > 0) {
      throw new JackinError(
        'name_taken',
        `the event log already holds ${existing} events; import needs an empty log`,
        {
          hint: 'point JACKIN_HOME at a new directory, or move jackin.db aside',
        },
      );
    }
    const insert = db.prepare(
      `INSERT INTO events (global_position, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
       VALUES (@global_position, @stream_id, @stream_version, @type, @schema_version, @data, @metadata, @recorded_at, @prev_hash, @hash)`,
    );
    let prev = GENESIS_HASH;
    let position = 0;
    let count = 0;
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      const row = parseLine(line, index + 1);
      if (row.global_position !== position + 1 || row.prev_hash !== prev || eventHash(row) !== row.hash) {
        throw new JackinError(
          'integrity_failed',
          `line ${index + 1}: event #${row.global_position} breaks the hash chain`,
          {
            hint: 'the export was edited or truncated; nothing was imported',
          },
        );
      }
      insert.run(row);
      prev = row.hash;
      position = row.global_position;
      count += 1;
    });
    return count;
  });
  return run.immediate();
}
