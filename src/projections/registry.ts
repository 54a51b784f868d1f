import { fleetProjection } from './fleet.js';
import { instancesProjection } from './instances.js';
import { linksProjection } from './links.js';
import { prewarmsProjection } from './prewarms.js';
import type { Projection } from './projection.js';
import { tasksProjection } from './tasks.js';

/** Every inline projection, in apply order. Add new ones here. */
export const projections: readonly Projection[] = [
  instancesProjection,
  fleetProjection,
  tasksProjection,
  linksProjection,
  prewarmsProjection,
];
