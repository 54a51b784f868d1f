import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withLock } from '../config/file-lock.js';
import { JackinError } from '../kernel/errors.js';
import { runGit } from './git.js';
import { normalizeGitUrl } from './git-url.js';

export interface RoleCacheOptions {
  /** `~/.jackin/roles` */
  readonly rolesDir: string;
  /** Skip the fetch when the last refresh is younger than this (0 = always fetch). */
  readonly ttlSeconds: number;
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => Date;
  /** Ignore the TTL (e.g. `--rebuild`). */
  readonly forceRefresh?: boolean;
}

export interface RoleCheckout {
  readonly dir: string;
  readonly commit: string;
  readonly action: 'cloned' | 'fetched' | 'cached';
}

/** `~/.jackin/roles/[<owner>/]<name>/default`. */
export function roleCacheDir(rolesDir: string, key: string): string {
  return join(rolesDir, ...key.split('/'), 'default');
}

const REFRESH_MARKER = 'jackin-refreshed-at';

/**
 * Clones a role repository into the cache, or checks and refreshes the cached clone: its origin
 * must match `url`, it must have no local changes or extra files, and it is fetched (fast-forward,
 * else reset to the fetched head) when the last refresh is older than the TTL. Git operations on
 * one role are serialized by a lock; a failed clone leaves nothing behind.
 */
export async function ensureRoleCheckout(
  key: string,
  url: string,
  options: RoleCacheOptions,
): Promise<RoleCheckout> {
  const dir = roleCacheDir(options.rolesDir, key);
  await mkdir(dirname(dir), { recursive: true, mode: 0o700 });
  return withLock(dir, async () => {
    const git = (args: string[], cwd = dir): Promise<string> => runGit(args, { cwd, env: options.env });
    if (!(await exists(join(dir, '.git')))) {
      const temp = `${dir}.clone-${randomBytes(4).toString('hex')}`;
      try {
        await runGit(['clone', '--quiet', '--', url, temp], { env: options.env });
        await rename(temp, dir);
      } finally {
        await rm(temp, { recursive: true, force: true });
      }
      await touchMarker(dir, options.now());
      return { dir, commit: await git(['rev-parse', 'HEAD']), action: 'cloned' };
    }
    const origin = await git(['remote', 'get-url', 'origin']).catch(() => '');
    if (normalizeGitUrl(origin) !== normalizeGitUrl(url)) {
      throw new JackinError(
        'role_origin_mismatch',
        `cached role '${key}' at ${dir} comes from '${origin || '(no origin)'}', not '${url}'`,
        {
          hint: `remove ${dir} to re-clone from the configured source`,
        },
      );
    }
    const status = await git(['status', '--porcelain', '--untracked-files=normal']);
    if (status.length > 0) {
      const first = status.split('\n')[0]?.trim() ?? '';
      throw new JackinError(
        'role_cache_dirty',
        `cached role repo '${key}' at ${dir} has local changes or extra files (${first})`,
        {
          hint: `commit or discard them (git -C ${dir} status), or remove ${dir} to re-clone`,
        },
      );
    }
    const age = await markerAgeSeconds(dir, options.now());
    if (!options.forceRefresh && age !== undefined && age < options.ttlSeconds) {
      return { dir, commit: await git(['rev-parse', 'HEAD']), action: 'cached' };
    }
    const branch = await git(['rev-parse', '--abbrev-ref', 'HEAD']);
    await git(['fetch', '--quiet', 'origin', '--', branch]);
    await git(['merge', '--ff-only', '--quiet', 'FETCH_HEAD']).catch(() =>
      git(['reset', '--hard', '--quiet', 'FETCH_HEAD']),
    );
    await touchMarker(dir, options.now());
    return { dir, commit: await git(['rev-parse', 'HEAD']), action: 'fetched' };
  });
}

/** The commit of a cached clone without touching the network (for `explain`), or undefined. */
export async function cachedCommit(
  key: string,
  rolesDir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ dir: string; commit: string } | undefined> {
  const dir = roleCacheDir(rolesDir, key);
  if (!(await exists(join(dir, '.git')))) return undefined;
  const commit = await runGit(['rev-parse', 'HEAD'], { cwd: dir, env }).catch(() => undefined);
  return commit ? { dir, commit } : undefined;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function touchMarker(dir: string, now: Date): Promise<void> {
  const marker = join(dir, '.git', REFRESH_MARKER);
  await writeFile(marker, now.toISOString());
  await utimes(marker, now, now);
}

async function markerAgeSeconds(dir: string, now: Date): Promise<number | undefined> {
  const info = await stat(join(dir, '.git', REFRESH_MARKER)).catch(() => undefined);
  return info ? (now.getTime() - info.mtimeMs) / 1000 : undefined;
}
