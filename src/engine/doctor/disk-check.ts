import { statfs } from 'node:fs/promises';
import type { DoctorCheck } from './check.js';
import { nearestExisting } from './directory-check.js';

export interface DiskThresholds {
  /** Below this many free bytes the check fails (image builds and the log would break). */
  readonly failBelow: number;
  /** Below this many free bytes the check warns. */
  readonly warnBelow: number;
}

const GIB = 1024 ** 3;
export const DEFAULT_DISK_THRESHOLDS: DiskThresholds = { failBelow: 1 * GIB, warnBelow: 5 * GIB };

export type FreeBytes = (path: string) => Promise<number>;

const statfsFree: FreeBytes = async (path) => {
  const fs = await statfs(path);
  return fs.bavail * fs.bsize;
};

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Free space on the filesystem holding the state directory (the event log, role caches, instance data). */
export function diskCheck(
  dir: string,
  thresholds: DiskThresholds = DEFAULT_DISK_THRESHOLDS,
  freeBytes: FreeBytes = statfsFree,
): DoctorCheck {
  return {
    name: 'disk',
    async run() {
      const where = await nearestExisting(dir);
      const free = await freeBytes(where);
      const detail = `${formatBytes(free)} free on the filesystem of ${where}`;
      if (free < thresholds.failBelow) {
        return { status: 'fail', detail: `${detail} (needs at least ${formatBytes(thresholds.failBelow)})` };
      }
      if (free < thresholds.warnBelow) {
        return {
          status: 'warn',
          detail: `${detail} (image builds want ${formatBytes(thresholds.warnBelow)})`,
        };
      }
      return { status: 'ok', detail };
    },
  };
}
