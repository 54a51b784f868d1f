import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrations } from '../../migrations/index.js';
import { JackinError } from '../kernel/errors.js';
import type { Database } from './schema.js';

export type SqliteConnection = BetterSqlite3.Database;
/** A prepared statement taking positional or named parameters. */
export type SqlStatement = BetterSqlite3.Statement<unknown[], unknown>;

/** Prepares SQL on a connection with loose parameter typing. */
export function prepare(db: SqliteConnection, sql: string): SqlStatement {
  return db.prepare<unknown[], unknown>(sql);
}

export interface OpenedDatabase {
  /** The raw connection: the append hot path and inline projections use prepared statements on it. */
  readonly sqlite: SqliteConnection;
  /** Typed query builder over the same connection. */
  readonly kysely: Kysely<Database>;
  readonly path: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  readonly path: string;
  readonly busyTimeoutMs?: number;
  readonly readonly?: boolean;
}

function corrupt(path: string, cause: unknown): JackinError {
  return new JackinError('database_corrupt', `the event log at ${path} is not a valid jackin database`, {
    hint: 'restore it from a `jackin events export` backup, or move it aside to start a new log',
    cause,
  });
}

/**
 * Opens (creating when absent) the event log: WAL, busy timeout, migrations in one transaction each.
 * Nothing is written to a file that is not a valid database or comes from a newer jackin.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const { path } = options;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let sqlite: SqliteConnection;
  let userVersion: number;
  try {
    sqlite = new BetterSqlite3(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    // Reading the header first: a corrupt file fails here, before anything is written to it.
    userVersion = sqlite.pragma('user_version', { simple: true }) as number;
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (cause) {
    if (cause instanceof Error && /not a database|malformed|file is not/i.test(cause.message))
      throw corrupt(path, cause);
    throw new JackinError('operation_failed', `cannot open the event log at ${path}: ${String(cause)}`, {
      cause,
    });
  }
  if (userVersion > migrations.length) {
    sqlite.close();
    throw new JackinError(
      'database_too_new',
      `the event log at ${path} has schema version ${userVersion}; this jackin knows up to ${migrations.length}`,
      { hint: 'upgrade jackin to the version that wrote this log' },
    );
  }
  if (!options.readonly) {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
  }
  sqlite.pragma('foreign_keys = ON');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    if (!options.readonly && userVersion < migrations.length) await migrate(sqlite, kysely);
  } catch (cause) {
    await kysely.destroy();
    throw new JackinError('operation_failed', `migrating the event log failed: ${String(cause)}`, { cause });
  }
  return {
    sqlite,
    kysely,
    path,
    close: async () => {
      await kysely.destroy();
    },
  };
}

// Under BEGIN IMMEDIATE so two processes opening a fresh log at once migrate it exactly once.
async function migrate(sqlite: SqliteConnection, kysely: Kysely<Database>): Promise<void> {
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    const current = sqlite.pragma('user_version', { simple: true }) as number;
    for (let index = current; index < migrations.length; index++) {
      await migrations[index]!.up(kysely);
      sqlite.pragma(`user_version = ${index + 1}`);
    }
    sqlite.exec('COMMIT');
  } catch (cause) {
    sqlite.exec('ROLLBACK');
    throw cause;
  }
}
