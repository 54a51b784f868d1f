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

export function defineEvent<S extends z.ZodType>(definition: EventDefinition<S>): EventDefinition<S> {
  return definition;
}
