import type { Kysely } from 'kysely';
import * as m0001 from './0001-event-log.js';
import * as m0002 from './0002-github-etags.js';

export interface Migration {
  readonly name: string;
  up(db: Kysely<any>): Promise<void>;
}

/** Every migration, in order. The database's `user_version` is the number applied. */
export const migrations: readonly Migration[] = [
  { name: '0001-event-log', up: m0001.up },
  { name: '0002-github-etags', up: m0002.up },
];
