import type { z } from 'zod';

/**
 * One event type in the catalog: its current schema version, the zod schema of that version, and
 * upcasters that lift older stored payloads one version at a time (key = the version they read).
 */
export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  readonly version: number;
  readonly schema: S;
  readonly description: string;
  readonly upcasters?: Readonly<Record<number, (data: unknown) => unknown>>;
}

/** What a catalog file writes: the schema as a function, built the first time it is needed. */
export interface EventSpec<S extends z.ZodType> extends Omit<EventDefinition<S>, 'schema'> {
  readonly schema: () => S;
}

/**
 * Defines one event type. The schema is built on first use and kept: a command validates only the
 * few types it appends, so it does not pay for building ~50 zod schemas at every start (ADR 0027).
 */
export function defineEvent<S extends z.ZodType>(spec: EventSpec<S>): EventDefinition<S> {
  let built: S | undefined;
  return {
    version: spec.version,
    description: spec.description,
    ...(spec.upcasters ? { upcasters: spec.upcasters } : {}),
    get schema(): S {
      return (built ??= spec.schema());
    },
  };
}
