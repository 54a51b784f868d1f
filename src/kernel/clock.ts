import { randomUUID } from 'node:crypto';

/** Time source, injected so tests and replays control it. */
export interface Clock {
  now(): Date;
}

/** Id source, injected so tests get stable ids. */
export interface IdGenerator {
  uuid(): string;
}

export const systemClock: Clock = { now: () => new Date() };
export const randomIds: IdGenerator = { uuid: () => randomUUID() };
