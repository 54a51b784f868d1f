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

export interface Database {
  events: EventsTable;
  log_meta: LogMetaTable;
  projections: ProjectionsTable;
  checkpoints: CheckpointsTable;
}
