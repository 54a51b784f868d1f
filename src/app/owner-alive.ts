import { hostname } from 'node:os';
import { processAlive } from '../kernel/process.js';
import type { Owner } from '../engine/instances/deps.js';

/** A recorded owner is alive when it is this host and its pid still answers signal 0. */
export function ownerAlive(owner: Owner | undefined): boolean {
  if (!owner || owner.host !== hostname()) return false;
  return owner.pid === process.pid || processAlive(owner.pid);
}
