import { agentEvents } from './agent.js';
import { configEvents } from './config.js';
import { imageEvents } from './image.js';
import { instanceEvents } from './instance.js';
import { linkEvents } from './link.js';
import { prewarmEvents } from './prewarm.js';
import { taskEvents } from './task.js';

/**
 * The one catalog of every event type jackin writes. Add a domain's events in its own file and
 * spread them here; `docs/events.md` is generated from this object.
 */
export const catalog = {
  ...instanceEvents,
  ...imageEvents,
  ...configEvents,
  ...agentEvents,
  ...taskEvents,
  ...linkEvents,
  ...prewarmEvents,
} as const;

export type Catalog = typeof catalog;
export type EventType = keyof Catalog;
