import { LABEL, managedFilter } from '../runtime/labels.js';
import type { ImageKind } from '../runtime/labels.js';
import type { ContainerRuntime, ImageSummary } from '../runtime/port.js';

export interface JackinImage {
  readonly id: string;
  readonly tags: readonly string[];
  readonly image: ImageKind | 'unknown';
  readonly role: string | undefined;
  readonly recipeHash: string | undefined;
  readonly sizeBytes: number;
  readonly createdAt: string;
  /** Containers (running or stopped) created from this image. */
  readonly containers: number;
}

const KINDS: readonly string[] = ['base', 'construct', 'dind', 'derived'];

/** Every jackin-labelled image, with how many containers use it. Nothing unlabelled is listed. */
export async function listJackinImages(runtime: ContainerRuntime): Promise<JackinImage[]> {
  const [images, containers] = await Promise.all([
    runtime.images.list({ labels: managedFilter('image') }),
    runtime.containers.list({ all: true }),
  ]);
  const genuine = await withoutDescendants(runtime, images);
  const uses = new Map<string, number>();
  for (const c of containers) uses.set(c.imageId, (uses.get(c.imageId) ?? 0) + 1);
  return genuine
    .map((i) => {
      const kind = i.labels[LABEL.image] ?? '';
      return {
        id: i.id,
        tags: i.tags,
        image: KINDS.includes(kind) ? (kind as ImageKind) : ('unknown' as const),
        role: i.labels[LABEL.role],
        recipeHash: i.labels[LABEL.recipeHash],
        sizeBytes: i.sizeBytes,
        createdAt: i.createdAt,
        containers: uses.get(i.id) ?? 0,
      };
    })
    .sort(
      (a, b) =>
        KINDS.indexOf(a.image) - KINDS.indexOf(b.image) || (a.tags[0] ?? '').localeCompare(b.tags[0] ?? ''),
    );
}

/**
 * Docker copies a parent's labels into every image built FROM it, so an operator's own image
 * built on the construct carries the construct's jackin labels. Among images sharing a recipe
 * hash, only those with the fewest layers are the image jackin built; the rest are descendants.
 */
async function withoutDescendants(
  runtime: ContainerRuntime,
  images: readonly ImageSummary[],
): Promise<ImageSummary[]> {
  const byHash = new Map<string, ImageSummary[]>();
  for (const image of images) {
    const hash = image.labels[LABEL.recipeHash] ?? image.id;
    byHash.set(hash, [...(byHash.get(hash) ?? []), image]);
  }
  const kept: ImageSummary[] = [];
  for (const group of byHash.values()) {
    if (group.length === 1) {
      kept.push(...group);
      continue;
    }
    const counted = await Promise.all(
      group.map(async (image) => ({
        image,
        layers: (await runtime.images.inspect(image.id))?.layerCount ?? 0,
      })),
    );
    const fewest = Math.min(...counted.map((c) => c.layers));
    kept.push(...counted.filter((c) => c.layers === fewest).map((c) => c.image));
  }
  return kept;
}

export interface PruneResult {
  readonly removed: readonly {
    readonly id: string;
    readonly tags: readonly string[];
    readonly image: string;
  }[];
  readonly skipped: readonly {
    readonly id: string;
    readonly tags: readonly string[];
    readonly reason: string;
  }[];
}

const PRUNE_ORDER: readonly string[] = ['derived', 'unknown', 'dind', 'construct', 'base'];

/**
 * Removes jackin-labelled images that no container references. By default only derived images;
 * `all` also removes the shared construct, DinD and base images. Never touches unlabelled images.
 */
export async function pruneJackinImages(
  runtime: ContainerRuntime,
  options: { readonly all: boolean },
): Promise<PruneResult> {
  const images = await listJackinImages(runtime);
  const removed: PruneResult['removed'][number][] = [];
  const skipped: PruneResult['skipped'][number][] = [];
  const candidates = images
    .filter((i) => options.all || i.image === 'derived' || i.image === 'unknown')
    .sort((a, b) => PRUNE_ORDER.indexOf(a.image) - PRUNE_ORDER.indexOf(b.image));
  for (const image of candidates) {
    if (image.containers > 0) {
      skipped.push({ id: image.id, tags: image.tags, reason: `used by ${image.containers} container(s)` });
      continue;
    }
    try {
      await runtime.images.remove(image.id, { force: image.tags.length > 1 });
      removed.push({ id: image.id, tags: image.tags, image: image.image });
    } catch (error) {
      skipped.push({
        id: image.id,
        tags: image.tags,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { removed, skipped };
}
