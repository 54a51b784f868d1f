import type { DoctorCheck } from './check.js';

/** A local jackin image: which shared image it is (`dev.jackin.image`) and its first tag. */
export interface LocalImage {
  readonly image: string;
  readonly tag: string;
}

/** The shared images every launch needs; derived role images are built per role on demand. */
const REQUIRED = ['construct', 'dind'] as const;

/** Images present: the construct and the DinD image exist locally (found by label, not by name). */
export function imagesCheck(
  engineReachable: () => Promise<boolean>,
  listImages: () => Promise<readonly LocalImage[]>,
): DoctorCheck {
  return {
    name: 'images',
    async run() {
      if (!(await engineReachable())) return { status: 'warn', detail: 'not checked: Docker is unreachable' };
      const images = await listImages();
      const found = REQUIRED.map((kind) => ({ kind, image: images.find((image) => image.image === kind) }));
      const missing = found.filter((entry) => !entry.image).map((entry) => entry.kind);
      const present = found.flatMap((entry) => (entry.image ? [entry.image.tag] : []));
      if (missing.length > 0) {
        return {
          status: 'warn',
          detail: `missing ${missing.join(', ')} (run \`jackin images build\`; a launch builds them too)`,
        };
      }
      const derived = images.filter((image) => image.image === 'derived').length;
      return {
        status: 'ok',
        detail: `${present.join(', ')}; ${derived} role image${derived === 1 ? '' : 's'}`,
      };
    },
  };
}
