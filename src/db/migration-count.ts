/**
 * How many migrations this jackin ships (`migrations/index.ts`). Opening the event log compares the
 * database's `user_version` with this number and loads the migrations, and kysely with them, only
 * when it is behind, so an ordinary command never pays for the query builder. A unit test keeps it
 * equal to the migrations list and the files in `migrations/`.
 */
export const MIGRATION_COUNT = 4;
