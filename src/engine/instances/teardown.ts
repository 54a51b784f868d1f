import { LABEL, homeScope } from '../../runtime/labels.js';
import type { ContainerRuntime, Labels } from '../../runtime/port.js';

export interface RemovedObject {
  readonly kind: string;
  readonly name: string;
}

export function instanceFilter(instanceId: string): Labels {
  return { [LABEL.managed]: 'true', [LABEL.instance]: instanceId };
}

/**
 * Removes every Docker object labelled with the instance: every container at once (role container
 * and sidecar, each force-removed with its anonymous volumes, so the sidecar's /var/lib/docker
 * goes too), then the certs volume and the network together (both need the containers gone first).
 * Found by label, so objects a crashed launch never recorded go too. One list per kind, taken up
 * front; the result is in dependency order (role, sidecar, volumes, network) whatever finished first.
 */
export async function removeInstanceObjects(
  runtime: ContainerRuntime,
  instanceId: string,
  /** This home's log id: objects labelled with another home are left alone (ADR 0023). */
  home?: string,
): Promise<RemovedObject[]> {
  const filter = instanceFilter(instanceId);
  const keep = (o: { readonly labels: Labels }): boolean =>
    home === undefined || homeScope(o.labels, home) !== 'foreign';
  const [allContainers, allVolumes, allNetworks] = await Promise.all([
    runtime.containers.list({ labels: filter, all: true }),
    runtime.volumes.list({ labels: filter }),
    runtime.networks.list({ labels: filter }),
  ]);
  const containers = allContainers.filter(keep);
  const volumes = allVolumes.filter(keep);
  const networks = allNetworks.filter(keep);
  const order = (kind: string | undefined): number => (kind === 'role' ? 0 : 1);
  const sorted = [...containers].sort((a, b) => order(a.labels[LABEL.kind]) - order(b.labels[LABEL.kind]));
  // Docker removes containers independently: a force remove kills the process at once, so the role
  // container and its sidecar go in parallel (their teardown is mostly the engine's own cleanup).
  await settleAll(sorted.map((c) => runtime.containers.remove(c.id)));
  await settleAll([
    ...volumes.map((v) => runtime.volumes.remove(v.name)),
    ...networks.map((n) => runtime.networks.remove(n.id)),
  ]);
  return [
    ...sorted.map((c) => ({ kind: c.labels[LABEL.kind] ?? 'container', name: c.name })),
    ...volumes.map((v) => ({ kind: v.labels[LABEL.kind] ?? 'volume', name: v.name })),
    ...networks.map((n) => ({ kind: 'network', name: n.name })),
  ];
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
