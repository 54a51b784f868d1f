import type { Clock, IdGenerator } from '../kernel/clock.js';
import type { Actor } from './envelope.js';

/** Stamped on every event an invocation appends (DESIGN.md, "The event log"). */
export interface AppendContext {
  readonly correlationId: string;
  readonly actor: Actor;
  readonly host: string;
  readonly jackinVersion: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}
