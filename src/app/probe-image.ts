import { LABEL, managedFilter } from '../runtime/labels.js';
import type { ContainerRuntime } from '../runtime/port.js';

/** Preferred probe images, by their `dev.jackin.image` label: any jackin image has sh, grep and cat. */
const PROBE_PREFERENCE = ['dind', 'base', 'construct', 'derived'];

/**
 * A local jackin-built image to run the privileged-mode probe with, found by label. Its own module:
 * a launch's session contract asks it, and must not load the doctor's dependency tree to do so.
 */
export async function probeImage(runtime: ContainerRuntime): Promise<string | undefined> {
  const images = await runtime.images.list({ labels: managedFilter('image') });
  const rank = (labels: Readonly<Record<string, string>>): number => {
    const index = PROBE_PREFERENCE.indexOf(labels[LABEL.image] ?? '');
    return index === -1 ? PROBE_PREFERENCE.length : index;
  };
  const tagged = images
    .filter((image) => image.tags.length > 0)
    .sort((a, b) => rank(a.labels) - rank(b.labels));
  return tagged[0]?.tags[0];
}
