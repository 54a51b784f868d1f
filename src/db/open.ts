import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { JackinError } from '../kernel/errors.js';
import { isBusy, lockedLog } from './busy.js';
import { MIGRATION_COUNT } from './migration-count.js';
import { sqliteAddon } from './addon.js';

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
 * Nothing is written to a file that is not a valid database or comes from a newer jackin. The
 * migrations (and kysely, which they are written in) load only when the log is behind: an up-to-date
 * log opens with better-sqlite3 alone (ADR 0023).
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const { path } = options;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let sqlite: SqliteConnection;
  let userVersion: number;
  try {
    sqlite = new BetterSqlite3(path, {
      ...sqliteAddon(),
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
  if (userVersion > MIGRATION_COUNT) {
    sqlite.close();
    throw new JackinError(
      'database_too_new',
      `the event log at ${path} has schema version ${userVersion}; this jackin knows up to ${MIGRATION_COUNT}`,
      { hint: 'upgrade jackin to the version that wrote this log' },
    );
  }
  if (!options.readonly) {
    try {
      switchToWal(sqlite, options.busyTimeoutMs ?? 10_000);
    } catch (cause) {
      sqlite.close();
      throw lockedLog(cause, path);
    }
    sqlite.pragma('synchronous = NORMAL');
  }
  sqlite.pragma('foreign_keys = ON');
  try {
    if (!options.readonly && userVersion < MIGRATION_COUNT) await migrate(sqlite);
  } catch (cause) {
    sqlite.close();
    throw new JackinError('operation_failed', `migrating the event log failed: ${String(cause)}`, { cause });
  }
  return {
    sqlite,
    path,
    close: () => {
      if (sqlite.open) sqlite.close();
      return Promise.resolve();
    },
  };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Puts the log in WAL mode, retrying while another process holds it. SQLite does not call the busy
 * handler here: the switch reads page 1 and then upgrades to a write, and an upgrade that meets
 * another writer fails at once with SQLITE_BUSY. Two processes creating a fresh log at the same
 * instant (two `jackin load`s on a new home) race exactly there. A log already in WAL mode takes no
 * write lock, so this costs one pragma after the first open.
 */
function switchToWal(sqlite: SqliteConnection, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, Math.min(2 + attempt * 2, 25) + Math.random() * 5);
    }
  }
}

/**
 * Applies the missing migrations, loading them and kysely now (only a log behind this jackin gets
 * here). Under BEGIN IMMEDIATE so two processes opening a fresh log at once migrate it exactly once.
 * The query builder wraps the connection without owning it: it is never destroyed (that would close
 * the connection the caller keeps).
 */
async function migrate(sqlite: SqliteConnection): Promise<void> {
  const [{ Kysely, SqliteDialect }, { migrations }] = await Promise.all([
    import('kysely'),
    import('../../migrations/index.js'),
  ]);
  if (migrations.length !== MIGRATION_COUNT)
    throw new Error(`MIGRATION_COUNT is ${MIGRATION_COUNT} but ${migrations.length} migrations ship`);
  const kysely = new Kysely<Record<string, never>>({ dialect: new SqliteDialect({ database: sqlite }) });
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    const current = sqlite.pragma('user_version', { simple: true }) as number;
    for (let index = current; index < migrations.length; index++) {
      await migrations[index]!.up(kysely);
      sqlite.pragma(`user_version = ${index + 1}`);
    }
    sqlite.exec('COMMIT');
  } catch (cause) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw cause;
  }
}
