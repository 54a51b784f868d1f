import { LABEL } from '../../runtime/labels.js';
import type { ContainerRuntime, Labels } from '../../runtime/port.js';

export interface RemovedObject {
  readonly kind: string;
  readonly name: string;
}

export function instanceFilter(instanceId: string): Labels {
  return { [LABEL.managed]: 'true', [LABEL.instance]: instanceId };
}

/**
 * Removes every Docker object labelled with the instance, in dependency order: role container,
 * sidecar (and its anonymous /var/lib/docker volume), certs volume, then the network (endpoints
 * first). Found by label, so objects a crashed launch never recorded go too.
 */
export async function removeInstanceObjects(
  runtime: ContainerRuntime,
  instanceId: string,
): Promise<RemovedObject[]> {
  const filter = instanceFilter(instanceId);
  const removed: RemovedObject[] = [];
  const containers = await runtime.containers.list({ labels: filter, all: true });
  const order = (kind: string | undefined): number => (kind === 'role' ? 0 : 1);
  const sorted = [...containers].sort((a, b) => order(a.labels[LABEL.kind]) - order(b.labels[LABEL.kind]));
  // The role container goes first (it holds the sidecar's certs and talks to it), then the rest together.
  const [first, ...rest] = sorted;
  if (first) {
    await runtime.containers.remove(first.id);
    removed.push({ kind: first.labels[LABEL.kind] ?? 'container', name: first.name });
  }
  await Promise.all(
    rest.map(async (c) => {
      await runtime.containers.remove(c.id);
      removed.push({ kind: c.labels[LABEL.kind] ?? 'container', name: c.name });
    }),
  );
  const [volumes, networks] = await Promise.all([
    runtime.volumes.list({ labels: filter }),
    runtime.networks.list({ labels: filter }),
  ]);
  await Promise.all(
    volumes.map(async (v) => {
      await runtime.volumes.remove(v.name);
      removed.push({ kind: v.labels[LABEL.kind] ?? 'volume', name: v.name });
    }),
  );
  for (const n of networks) {
    await runtime.networks.remove(n.id);
    removed.push({ kind: 'network', name: n.name });
  }
  return removed;
}
