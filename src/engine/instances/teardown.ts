import { LABEL, homeScope } from '../../runtime/labels.js';
import type {
  ContainerRuntime,
  ContainerSummary,
  Labels,
  NetworkSummary,
  VolumeSummary,
} from '../../runtime/port.js';

export interface RemovedObject {
  readonly kind: string;
  readonly name: string;
}

export function instanceFilter(instanceId: string): Labels {
  return { [LABEL.managed]: 'true', [LABEL.instance]: instanceId };
}

/** An instance's labelled objects, as one listing found them (containers role first). */
export interface InstanceObjects {
  readonly containers: readonly ContainerSummary[];
  readonly volumes: readonly VolumeSummary[];
  readonly networks: readonly NetworkSummary[];
}

/**
 * Lists every Docker object labelled with the instance: containers, volumes and networks together,
 * one list per kind. Objects labelled with another home are left out (ADR 0023). Read only, so a
 * caller may start it before recording its intent and remove what it found after.
 */
export async function listInstanceObjects(
  runtime: ContainerRuntime,
  instanceId: string,
  /** This home's log id: objects labelled with another home are left alone (ADR 0023). */
  home?: string,
): Promise<InstanceObjects> {
  const filter = instanceFilter(instanceId);
  const keep = (o: { readonly labels: Labels }): boolean =>
    home === undefined || homeScope(o.labels, home) !== 'foreign';
  const [containers, volumes, networks] = await Promise.all([
    runtime.containers.list({ labels: filter, all: true }),
    runtime.volumes.list({ labels: filter }),
    runtime.networks.list({ labels: filter }),
  ]);
  const order = (kind: string | undefined): number => (kind === 'role' ? 0 : 1);
  return {
    containers: containers
      .filter(keep)
      .sort((a, b) => order(a.labels[LABEL.kind]) - order(b.labels[LABEL.kind])),
    volumes: volumes.filter(keep),
    networks: networks.filter(keep),
  };
}

/**
 * Removes listed objects: every container at once (role container and sidecar, each force-removed
 * with its anonymous volumes, so the sidecar's /var/lib/docker goes too), then the certs volume and
 * the network together (both need the containers gone first). `alongside` starts once every
 * container is gone and runs with the volume and network removal (the network's takes ~200 ms of
 * the engine's own work): eject releases the isolated checkouts there, as nothing can write to them
 * any more. The result is in dependency order (role, sidecar, volumes, network) whatever finished
 * first; failures are thrown after every sibling settled (the removals' first, then alongside's).
 */
export async function removeInstanceObjectsListed(
  runtime: ContainerRuntime,
  objects: InstanceObjects,
  alongside?: () => Promise<void>,
): Promise<RemovedObject[]> {
  const { containers, volumes, networks } = objects;
  // Docker removes containers independently: a force remove kills the process at once, so the role
  // container and its sidecar go in parallel (their teardown is mostly the engine's own cleanup).
  await settleAll(containers.map((c) => runtime.containers.remove(c.id)));
  await settleAll([
    ...volumes.map((v) => runtime.volumes.remove(v.name)),
    ...networks.map((n) => runtime.networks.remove(n.id)),
    ...(alongside ? [alongside()] : []),
  ]);
  return [
    ...containers.map((c) => ({ kind: c.labels[LABEL.kind] ?? 'container', name: c.name })),
    ...volumes.map((v) => ({ kind: v.labels[LABEL.kind] ?? 'volume', name: v.name })),
    ...networks.map((n) => ({ kind: 'network', name: n.name })),
  ];
}

/**
 * Removes every Docker object labelled with the instance (listInstanceObjects, then
 * removeInstanceObjectsListed). Found by label, so objects a crashed launch never recorded go too.
 */
export async function removeInstanceObjects(
  runtime: ContainerRuntime,
  instanceId: string,
  /** This home's log id: objects labelled with another home are left alone (ADR 0023). */
  home?: string,
): Promise<RemovedObject[]> {
  return removeInstanceObjectsListed(runtime, await listInstanceObjects(runtime, instanceId, home));
}

/**
 * Waits for every removal, then throws the first failure: a failed container removal must not stop
 * the others (the caller records the failure; the rest is gone, and a retry finds only what is left).
 */
async function settleAll(removals: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(removals);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
