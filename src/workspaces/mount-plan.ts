import { posix } from 'node:path';
import type { GlobalMount } from '../config/config-schema.js';
import type { Isolation } from '../config/shared-schema.js';
import { JackinError } from '../kernel/errors.js';
import { canonicalizeSource } from './canonical.js';
import { expandHostPath } from './mount-spec.js';
import type { MountSpec, PathContext } from './mount-spec.js';
import { scopeMatches } from './scope-glob.js';
import { refuseDockerSocket, sensitiveReason } from './sensitive.js';

/** Where a mount came from, so errors and the session contract can name its layer. */
export type MountOrigin = `global:${string}` | 'workspace' | 'adhoc' | 'target';

export interface MountRequest {
  readonly src: string;
  readonly dst: string;
  readonly readonly: boolean;
  readonly isolation: Isolation;
  readonly origin: MountOrigin;
}

export interface PlannedMount extends MountRequest {
  /** The source as configured (after `~` expansion); `src` is canonical (symlinks resolved). */
  readonly configuredSrc: string;
  readonly sensitive: string | undefined;
}

/** Paths inside the container that jackin itself owns. */
const RESERVED_DESTINATIONS = ['/jackin', '/var/lib/extrausers'];

/** Global mounts that apply to a role: unscoped ones plus those whose scope glob matches. */
export function globalMountRequests(
  mounts: readonly { name: string; scope: string | undefined; mount: GlobalMount }[],
  roleKey: string | undefined,
  context: PathContext,
): MountRequest[] {
  return mounts
    .filter((m) => m.scope === undefined || (roleKey !== undefined && scopeMatches(m.scope, roleKey)))
    .map((m) => ({
      src: expandHostPath(m.mount.src, context),
      dst: m.mount.dst,
      readonly: m.mount.readonly,
      isolation: 'shared' as const,
      origin: `global:${m.scope ? `${m.scope}/` : ''}${m.name}` as const,
    }));
}

export function adhocRequests(
  specs: readonly MountSpec[],
  origin: 'adhoc' | 'target' = 'adhoc',
): MountRequest[] {
  return specs.map((s) => ({ ...s, isolation: 'shared' as const, origin }));
}

/**
 * Canonicalizes and checks the merged mounts (global → workspace → ad-hoc): sources exist, the
 * Docker socket is refused, destinations are absolute, unique and outside jackin's own paths,
 * isolated mounts do not nest and are not sensitive. Sensitive sources are flagged, not refused.
 */
export async function planMounts(requests: readonly MountRequest[], home: string): Promise<PlannedMount[]> {
  const planned: PlannedMount[] = [];
  const byDst = new Map<string, PlannedMount>();
  for (const request of requests) {
    const dst = normalizeDst(request.dst, request.origin);
    const src = await canonicalizeSource(request.src);
    await refuseDockerSocket(src, request.src);
    const previous = byDst.get(dst);
    if (previous) {
      throw new JackinError(
        'invalid_input',
        `duplicate container destination '${dst}' (${previous.origin} and ${request.origin})`,
        {
          hint: 'each container path may be mounted once; change one destination or drop one mount',
        },
      );
    }
    const sensitive = sensitiveReason(src, home);
    if (sensitive && request.isolation !== 'shared') {
      throw new JackinError(
        'sensitive_mount',
        `'${request.src}' (${sensitive}) cannot use ${request.isolation} isolation`,
        {
          hint: 'isolated checkouts of sensitive paths are refused; mount it shared (and read-only)',
        },
      );
    }
    if (request.isolation !== 'shared' && request.readonly) {
      throw new JackinError(
        'invalid_input',
        `${request.isolation} isolation of '${dst}' cannot be read-only`,
      );
    }
    const mount: PlannedMount = { ...request, dst, src, configuredSrc: request.src, sensitive };
    byDst.set(dst, mount);
    planned.push(mount);
  }
  checkIsolatedNesting(planned);
  return planned;
}

function normalizeDst(dst: string, origin: MountOrigin): string {
  if (!dst.startsWith('/')) {
    throw new JackinError('invalid_input', `mount destination '${dst}' (${origin}) is relative`, {
      hint: 'container paths must be absolute',
    });
  }
  const normal = posix.normalize(dst).replace(/(.)\/$/, '$1');
  if (normal === '/')
    throw new JackinError('invalid_input', `cannot mount over the container root (${origin})`);
  for (const reserved of RESERVED_DESTINATIONS) {
    if (normal === reserved || normal.startsWith(`${reserved}/`)) {
      throw new JackinError(
        'invalid_input',
        `mount destination '${normal}' (${origin}) is reserved for jackin`,
        {
          hint: `choose a path outside ${reserved}`,
        },
      );
    }
  }
  return normal;
}

function isInside(child: string, parent: string): boolean {
  return child !== parent && child.startsWith(parent === '/' ? '/' : `${parent}/`);
}

function checkIsolatedNesting(mounts: readonly PlannedMount[]): void {
  const isolated = mounts.filter((m) => m.isolation !== 'shared');
  for (const outer of isolated) {
    for (const inner of isolated) {
      if (isInside(inner.dst, outer.dst)) {
        throw new JackinError(
          'invalid_input',
          `isolated mount '${inner.dst}' is nested inside isolated mount '${outer.dst}'`,
          {
            hint: 'isolated (worktree/clone) mounts may not nest; make the inner one shared',
          },
        );
      }
    }
  }
}

/**
 * Mounts made redundant by another mount that already covers them at the same offset with the
 * same access (e.g. `~/src` → `/src` covers `~/src/app` → `/src/app`). Only shared mounts collapse.
 */
export function findRedundant<
  M extends { src: string; dst: string; readonly: boolean; isolation: Isolation },
>(mounts: readonly M[]): M[] {
  return mounts.filter((child) =>
    mounts.some(
      (parent) =>
        parent !== child &&
        parent.isolation === 'shared' &&
        child.isolation === 'shared' &&
        parent.readonly === child.readonly &&
        isInside(child.src, parent.src) &&
        isInside(child.dst, parent.dst) &&
        child.src.slice(parent.src.length) === child.dst.slice(parent.dst.length),
    ),
  );
}
