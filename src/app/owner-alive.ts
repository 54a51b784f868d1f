import { hostname } from 'node:os';
import type { Owner } from '../engine/instances/deps.js';

/** A recorded owner is alive when it is this host and its pid still answers signal 0. */
export function ownerAlive(owner: Owner | undefined): boolean {
  if (!owner || owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
