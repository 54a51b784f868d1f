import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DoctorCheck } from './check.js';

/** The directory itself when it exists, else its nearest existing ancestor. */
export async function nearestExisting(path: string): Promise<string> {
  let current = path;
  for (;;) {
    try {
      await stat(current);
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

/**
 * The directory can be written: an existing one by creating and removing a probe file, a missing one
 * by checking that the nearest existing ancestor is a writable directory (doctor creates nothing).
 */
export function writableDirectoryCheck(name: string, dir: string): DoctorCheck {
  return {
    name,
    async run() {
      const existing = await nearestExisting(dir);
      const info = await stat(existing);
      if (!info.isDirectory()) {
        return { status: 'fail', detail: `${existing} is not a directory, so ${dir} cannot be used` };
      }
      if (existing !== dir) {
        await access(existing, constants.W_OK | constants.X_OK).catch(() => {
          throw new Error(`${dir} does not exist and ${existing} is not writable`);
        });
        return { status: 'ok', detail: `${dir} (not created yet; ${existing} is writable)` };
      }
      const probe = join(dir, `.jackin-doctor-${process.pid}-${randomBytes(4).toString('hex')}`);
      try {
        await writeFile(probe, 'probe', { flag: 'wx', mode: 0o600 });
      } catch (error) {
        return { status: 'fail', detail: `${dir} is not writable: ${(error as Error).message}` };
      }
      await unlink(probe);
      return { status: 'ok', detail: dir };
    },
  };
}
