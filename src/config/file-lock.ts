import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { JackinError } from '../kernel/errors.js';
import { processAlive } from '../kernel/process.js';

export interface LockOptions {
  /** Give up after this long (default 15 s). */
  readonly timeoutMs?: number;
  /** A lock file older than this is stale even if its owner looks alive (default 60 s). */
  readonly staleMs?: number;
}

export interface HeldLock {
  readonly path: string;
  release(): Promise<void>;
}

interface LockRecord {
  pid: number;
  host: string;
  token: string;
  at: number;
}

/**
 * An exclusive lock: `<target>.lock` created with O_EXCL. A lock left by a dead process on this
 * host, or older than `staleMs`, is broken by renaming it aside and checking we took what we read.
 */
export async function acquireLock(target: string, options: LockOptions = {}): Promise<HeldLock> {
  const path = `${target}.lock`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 60_000;
  const record: LockRecord = {
    pid: process.pid,
    host: hostname(),
    token: randomBytes(8).toString('hex'),
    at: Date.now(),
  };
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    if (await tryCreate(path, record)) {
      return { path, release: () => releaseLock(path, record.token) };
    }
    await breakIfStale(path, staleMs);
    if (Date.now() > deadline) {
      const owner = await readRecord(path);
      throw new JackinError(
        'locked',
        `${target} is locked${owner ? ` by process ${owner.pid} on ${owner.host}` : ''}`,
        {
          hint: `wait for the other jackin command to finish, or remove ${path} if no jackin process is running`,
        },
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 100);
  }
}

/** Runs `fn` while holding the lock on `target`. */
export async function withLock<T>(
  target: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lock = await acquireLock(target, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

async function tryCreate(path: string, record: LockRecord): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(record));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function readRecord(path: string): Promise<LockRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockRecord;
  } catch {
    return undefined;
  }
}

async function breakIfStale(path: string, staleMs: number): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return;
  const owner = await readRecord(path);
  const age = Date.now() - info.mtimeMs;
  // A half-written record (owner still writing) is only stale once it is old.
  const dead = owner !== undefined && owner.host === hostname() && !processAlive(owner.pid);
  if (!dead && age < staleMs) return;
  const aside = `${path}.stale.${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return; // someone else broke or released it
  }
  const taken = await readRecord(aside);
  if (owner && taken && taken.token !== owner.token) {
    // We moved a fresh lock created after our read: put it back unless a new one already exists.
    await link(aside, path).catch(() => undefined);
  }
  await rm(aside, { force: true });
}

async function releaseLock(path: string, token: string): Promise<void> {
  const current = await readRecord(path);
  if (current?.token === token) await rm(path, { force: true });
}
