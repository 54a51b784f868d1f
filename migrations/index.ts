// Migrations are append-only: once a migration has shipped, never edit it (logs that already ran it
// will not run it again). Change the schema with a new migration; test/db/migrations-frozen.unit.test.ts
// pins each file's sha256.
import type { Kysely } from 'kysely';
import * as m0001 from './0001-event-log.js';
import * as m0002 from './0002-github-etags.js';
import * as m0003 from './0003-log-identity.js';
import * as m0004 from './0004-log-meta-repair.js';

export interface Migration {
  readonly name: string;
  up(db: Kysely<any>): Promise<void>;
}

/**
 * Every migration, in order. The database's `user_version` is the number applied. Adding one means
 * raising MIGRATION_COUNT in src/db/migration-count.ts too (a unit test compares them): opening a
 * log reads only that count and loads this module (and kysely) only when it has to migrate.
 */
export const migrations: readonly Migration[] = [
  { name: '0001-event-log', up: m0001.up },
  { name: '0002-github-etags', up: m0002.up },
  { name: '0003-log-identity', up: m0003.up },
  { name: '0004-log-meta-repair', up: m0004.up },
];
