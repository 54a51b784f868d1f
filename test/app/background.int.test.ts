import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackgroundJackin } from '../../src/app/background.js';
import type { JackinPaths } from '../../src/kernel/paths.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Field 19 of /proc/<pid>/stat is the niceness (counted after `(comm)`, which may hold spaces). */
function niceness(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe('background jackin processes', () => {
  it('run detached at a lower CPU priority, their output in the home log folder', () => {
    const home = mkdtempSync(join(tmpdir(), 'jackin-bg-'));
    dirs.push(home);
    const paths = { logs: join(home, 'logs') } as JackinPaths;
    const pid = startBackgroundJackin(
      { env: { ...process.env, JACKIN_HOME: home }, paths },
      ['--version'],
      'bg.log',
    );
    expect(pid).toBeTypeOf('number');
    // setPriority ran before startBackgroundJackin returned; node takes far longer than that to exit
    expect(niceness(pid!)).toBe(10);
  });
});
