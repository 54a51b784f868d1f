import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface HashedFields {
  readonly global_position: number;
  readonly stream_id: string;
  readonly stream_version: number;
  readonly type: string;
  readonly schema_version: number;
  readonly data: string;
  readonly metadata: string;
  readonly recorded_at: string;
  readonly prev_hash: string;
}

/** The chain link: sha256 over the previous hash and every stored column of the row. */
export function eventHash(row: HashedFields): string {
  return createHash('sha256')
    .update(row.prev_hash)
    .update('\n')
    .update(String(row.global_position))
    .update('\n')
    .update(row.stream_id)
    .update('\n')
    .update(String(row.stream_version))
    .update('\n')
    .update(row.type)
    .update('\n')
    .update(String(row.schema_version))
    .update('\n')
    .update(row.data)
    .update('\n')
    .update(row.metadata)
    .update('\n')
    .update(row.recorded_at)
    .digest('hex');
}
