/** Kysely table types for the tables the migrations create. Projection tables are typed in their own files. */
export interface EventsTable {
  global_position: number;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

/** One row (id 1). Replaced `log_head`, which 0004 drops from logs created before the change. */
export interface LogMetaTable {
  id: number;
  projections: string;
}

export interface ProjectionsTable {
  name: string;
  version: number;
  position: number;
}

export interface CheckpointsTable {
  subscriber: string;
  position: number;
  updated_at: string;
}

export interface GithubEtagsTable {
  key: string;
  etag: string;
  head_sha: string | null;
  updated_at: string;
}

export interface LogIdentityTable {
  id: number;
  log_id: string;
  created_at: string;
}

export interface Database {
  events: EventsTable;
  log_meta: LogMetaTable;
  projections: ProjectionsTable;
  checkpoints: CheckpointsTable;
  github_etags: GithubEtagsTable;
  log_identity: LogIdentityTable;
}
