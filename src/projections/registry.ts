import { fleetProjection } from './fleet.js';
import { instancesProjection } from './instances.js';
import type { Projection } from './projection.js';

/** Every inline projection, in apply order. Add new ones here. */
export const projections: readonly Projection[] = [instancesProjection, fleetProjection];
