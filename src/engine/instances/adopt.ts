import { join } from 'node:path';
import { VersionConflictError } from '../../events/expected-version.js';
import { listPrewarms } from '../../projections/prewarms.js';
import type { PrewarmRow } from '../../projections/prewarms.js';
import { waitForSidecar } from '../../runtime/dind-ready.js';
import type { ResourceLimits, SecurityProfile } from '../../runtime/port.js';
import type { InstanceDeps, PlannedAgents } from './deps.js';
import { instanceNames, newInstanceId } from './naming.js';
import type { InstanceNames } from './naming.js';
import { limitsChange, parseLimits, prewarmStream, streamState } from './prewarm.js';
import type { PrewarmDeps } from './prewarm.js';
import { startSidecar } from './sidecar.js';
import type { InstanceIdentity } from './specs.js';

/**
 * A launch adopting a prewarmed DinD sidecar (ADR 0020): pick a ready one that fits, claim it at the
 * stream version that recorded it ready, and make it the instance's sidecar. Whether it fits is
 * decided cheaply before the claim and confirmed once the launch's image check is done (ADR 0025).
 */

/** Whether any prewarmed sidecar is ready (one query of the prewarms projection). */
export function prewarmsReady(db: PrewarmDeps['db']): boolean {
  return listPrewarms(db, ['ready']).length > 0;
}

/** A ready prewarmed sidecar a launch may take, and the limit change that takes. */
export interface PrewarmPick {
  readonly row: PrewarmRow;
  readonly containerId: string;
  readonly networkId: string;
  /** The image its sidecar runs (the container's `.Image`). */
  readonly imageId: string;
  readonly update: ResourceLimits | undefined;
}

/** A claimed prewarm: its TLS ping runs from the claim on, while the intent is recorded. */
export interface AdoptedSidecar extends PrewarmPick {
  /** Resolves with the ms the ping took; rejects as waitForSidecar does. */
  readonly ping: Promise<number>;
}

/**
 * The oldest ready prewarmed sidecar this launch can use: running, limits equal or changeable in
 * place. Skips ids in `tried`. Cheap (the log and one inspect): the image check is separate.
 */
export async function pickPrewarm(
  deps: Pick<PrewarmDeps, 'db' | 'runtime'>,
  limits: ResourceLimits,
  tried: ReadonlySet<string>,
): Promise<PrewarmPick | undefined> {
  for (const row of listPrewarms(deps.db, ['ready'])) {
    if (tried.has(row.prewarm_id) || !row.container_id || !row.network_id) continue;
    const change = limitsChange(parseLimits(row.limits), limits);
    if (change === 'no') continue;
    const details = await deps.runtime.containers.inspect(row.container_id);
    if (!details?.running) continue;
    return {
      row,
      containerId: row.container_id,
      networkId: row.network_id,
      imageId: details.imageId,
      update: change === 'same' ? undefined : change,
    };
  }
  return undefined;
}

/** The DinD image a cold launch would run now, as far as a cheap look tells. */
export interface CurrentDind {
  /** The id the configured DinD tag points at; undefined when the tag is absent. */
  readonly id: string | undefined;
  /** How a sidecar runs on this engine (the cached privileged-mode detection). */
  readonly mode: string;
}

/**
 * Whether a picked sidecar fits, decided before the claim without the shared images' reuse checks:
 * it runs the image the configured DinD tag points at, in the current sidecar mode (ADR 0025). The
 * one case this misses (the DinD recipe changed and the tag is rebuilt by this very launch) is
 * caught by `stillFits` once the launch's image check is done.
 */
export function fitsCheaply(pick: PrewarmPick, current: CurrentDind): boolean {
  return current.id !== undefined && current.id === pick.imageId && current.mode === pick.row.mode;
}

/** Whether the adopted sidecar runs the DinD image and mode the launch's image check settled on. */
export function stillFits(pick: PrewarmPick, image: { readonly id: string; readonly mode: string }): boolean {
  return image.id === pick.imageId && image.mode === pick.row.mode;
}

/** The configured DinD tag's id (one image inspect) and the sidecar mode. */
async function currentDind(deps: Pick<InstanceDeps, 'images' | 'runtime' | 'docker'>): Promise<CurrentDind> {
  const [image, mode] = await Promise.all([
    deps.images.dindTag().then((tag) => deps.runtime.images.inspect(tag)),
    deps.docker.sidecarMode(),
  ]);
  return { id: image?.id, mode };
}

/**
 * Takes the picked sidecar for the instance of the same id: SidecarPrewarmAdopted appended at the
 * version that recorded it ready. False when someone else adopted or discarded it first.
 */
export async function claimPrewarm(
  deps: Pick<PrewarmDeps, 'store' | 'owner'>,
  pick: PrewarmPick,
): Promise<boolean> {
  const id = pick.row.prewarm_id;
  const { state, version } = await streamState(deps, id);
  if (state !== 'ready') return false;
  try {
    await deps.store.append(
      prewarmStream(id),
      [
        {
          type: 'SidecarPrewarmAdopted',
          data: {
            prewarmId: id,
            instanceId: id,
            owner: deps.owner,
            ...(pick.update ? { updatedLimits: pick.update } : {}),
          },
        },
      ],
      { expectedVersion: version },
    );
    return true;
  } catch (error) {
    if (error instanceof VersionConflictError) return false;
    throw error;
  }
}

export interface Identity {
  readonly id: string;
  readonly names: InstanceNames;
  readonly agents: PlannedAgents;
  /** The prewarmed sidecar this launch took (its objects' names are in `names`). */
  readonly adopted: AdoptedSidecar | undefined;
}

/** What identifying an instance reads from the session contract. */
export interface IdentityRequest {
  readonly roleKey: string;
  readonly roleAgents: readonly string[];
  readonly workspace: string | null;
  readonly agent: string;
  readonly limits: ResourceLimits;
}

/**
 * The instance id and object names, with the credentials planned for them. A ready prewarmed
 * sidecar that fits is adopted (ADR 0020): the instance takes its id, network, sidecar and certs
 * volume. The claim comes after the plan (a missing credential must not consume a prewarm); when
 * another launch claims it first, the next one is tried, then a cold launch with a fresh id.
 */
export async function identify(deps: InstanceDeps, request: IdentityRequest): Promise<Identity> {
  const tried = new Set<string>();
  let pick = await pickPrewarm(deps, request.limits, tried);
  // Asked once, and only when there is a candidate.
  let current: Promise<CurrentDind> | undefined;
  for (;;) {
    const id = pick?.row.prewarm_id ?? newInstanceId();
    const own = instanceNames(id, request.roleKey, request.workspace);
    const names: InstanceNames = pick
      ? {
          container: own.container,
          sidecar: pick.row.sidecar,
          network: pick.row.network,
          certs: pick.row.certs,
        }
      : own;
    const candidate = pick;
    // Every credential is resolved now: a missing one fails before anything is recorded or created.
    // With a candidate, its cheap image check runs alongside.
    const [agents, fits] = await Promise.all([
      deps.agents.plan({
        instanceId: id,
        stateDir: join(deps.paths.data, names.container),
        agent: request.agent,
        roleKey: request.roleKey,
        roleAgents: request.roleAgents,
        workspace: request.workspace,
      }),
      candidate ? (current ??= currentDind(deps)).then((c) => fitsCheaply(candidate, c)) : false,
    ]);
    if (!candidate) return { id, names, agents, adopted: undefined };
    if (fits && (await claimPrewarm(deps, candidate))) {
      deps.report('prewarm', `adopted ${candidate.row.sidecar}`);
      // Read-only (the sidecar's certs, one mTLS ping): it runs while the intent is recorded, and
      // the sidecar stage awaits it.
      const ping = waitForSidecar(deps.runtime, candidate.containerId, {
        name: names.sidecar,
        network: names.network,
        timeoutMs: deps.sidecarTimeoutMs,
      });
      ping.catch(() => undefined);
      return { id, names, agents, adopted: { ...candidate, ping } };
    }
    tried.add(candidate.row.prewarm_id);
    pick = await pickPrewarm(deps, request.limits, tried);
  }
}

/**
 * The adopted sidecar becomes this instance's: the launch's limits are applied in place, and `ready`
 * is its ping (started at the claim). If the launch's image check settled on another DinD image or
 * mode than the sidecar runs (the recipe changed since it was prewarmed), the sidecar and its certs
 * volume are replaced by a cold one with the same names on the adopted network, labelled as the
 * instance's (ADR 0025); `replaced` is then the removed container's id. Once this resolves the
 * sidecar's container and certs volume are final: the role container can be made and started.
 */
export async function settleAdoptedSidecar(
  deps: Pick<InstanceDeps, 'runtime' | 'env' | 'sidecarTimeoutMs'>,
  adopted: AdoptedSidecar,
  names: InstanceNames,
  who: InstanceIdentity,
  image: {
    readonly image: string;
    readonly id: string;
    readonly mode: string;
    readonly security: SecurityProfile;
  },
  limits: ResourceLimits,
): Promise<{ containerId: string; ready: Promise<number>; replaced: string | undefined }> {
  if (!stillFits(adopted, image)) {
    await deps.runtime.containers.remove(adopted.containerId);
    await deps.runtime.volumes.remove(names.certs);
    const cold = await startSidecar(deps, names, who, image, limits);
    return {
      containerId: cold.containerId,
      ready: Promise.resolve(cold.readyMs),
      replaced: adopted.containerId,
    };
  }
  if (adopted.update) await deps.runtime.containers.update(adopted.containerId, adopted.update);
  return { containerId: adopted.containerId, ready: adopted.ping.then(Math.round), replaced: undefined };
}
