import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, withLock } from '../../../src/config/file-lock.js';
import { isJackinError } from '../../../src/kernel/errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jackin-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('file lock', () => {
  it('serializes holders', async () => {
    const target = join(dir, 'config.toml');
    const order: string[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        withLock(target, async () => {
          order.push(`in${n}`);
          await new Promise((r) => setTimeout(r, 20));
          order.push(`out${n}`);
        }),
      ),
    );
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]?.replace('in', 'out'));
    expect(existsSync(`${target}.lock`)).toBe(false);
  });

  it('breaks a lock left by a dead process', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const target = join(dir, 'c.toml');
    writeFileSync(
      `${target}.lock`,
      JSON.stringify({ pid: Number(dead.stdout), host: hostname(), token: 'old', at: 0 }),
    );
    const lock = await acquireLock(target, { timeoutMs: 2000 });
    await lock.release();
  });

  it('breaks a lock older than the stale age, and times out on a live one with a hint', async () => {
    const target = join(dir, 'c.toml');
    writeFileSync(
      `${target}.lock`,
      JSON.stringify({ pid: process.pid, host: hostname(), token: 'live', at: 0 }),
    );
    const error = await acquireLock(target, { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(isJackinError(error) && error.code).toBe('locked');
    expect(isJackinError(error) && error.exitCode).toBe(4);
    const old = new Date(Date.now() - 120_000);
    utimesSync(`${target}.lock`, old, old);
    const lock = await acquireLock(target, { timeoutMs: 1000, staleMs: 60_000 });
    await lock.release();
  });
});
