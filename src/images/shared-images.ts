import { join } from 'node:path';
import { LABEL, managedLabels } from '../runtime/labels.js';
import type { ImageKind } from '../runtime/labels.js';
import type { BuildImageRequest, Labels } from '../runtime/port.js';
import type { ExtraCaCert } from './ca-certs.js';
import { RECIPE_VERSION, hashDirectory, recipeHash } from './recipe.js';

/** Versions of the shared images; a recipe change also rebuilds through the recipe hash. */
export const CONSTRUCT_VERSION = '0.1';
export const DIND_VERSION = '0.1';

export const TAGS = {
  construct: `jackin/construct:${CONSTRUCT_VERSION}`,
  dind: `jackin/dind:${DIND_VERSION}`,
  offlineBase: (suite: string): string => `jackin/debian-base:${suite}`,
  registryBase: (suite: string): string => `debian:${suite}-slim`,
} as const;

export interface SharedRecipe {
  readonly image: Extract<ImageKind, 'construct' | 'dind'>;
  readonly tag: string;
  readonly hash: string;
  readonly assetDir: string;
  readonly labels: Labels;
  readonly buildArgs: Readonly<Record<string, string>>;
}

export function imageLabels(
  image: ImageKind,
  hash: string,
  extra: Readonly<Record<string, string | undefined>> = {},
): Labels {
  return managedLabels('image', {
    [LABEL.image]: image,
    [LABEL.recipeHash]: hash,
    [LABEL.recipeVersion]: String(RECIPE_VERSION),
    ...extra,
  });
}

/** Recipe of the construct or the DinD image: its asset dir, the base image id and the host CAs. */
export function sharedRecipe(
  image: 'construct' | 'dind',
  imagesDir: string,
  base: { readonly tag: string; readonly id: string },
  certs: readonly ExtraCaCert[],
): SharedRecipe {
  const assetDir = join(imagesDir, image);
  const version = image === 'construct' ? CONSTRUCT_VERSION : DIND_VERSION;
  const hash = recipeHash({
    recipeVersion: RECIPE_VERSION,
    image,
    version,
    assets: hashDirectory(assetDir),
    baseImageId: base.id,
    caFingerprints: certs.map((c) => c.fingerprint),
  });
  return {
    image,
    tag: image === 'construct' ? TAGS.construct : TAGS.dind,
    hash,
    assetDir,
    labels: imageLabels(
      image,
      hash,
      image === 'construct' ? { [LABEL.constructVersion]: CONSTRUCT_VERSION } : {},
    ),
    buildArgs: { BASE_IMAGE: base.tag },
  };
}

export function buildRequest(
  recipe: SharedRecipe,
  contextDir: string,
  extraArgs: Readonly<Record<string, string>>,
  noCache: boolean,
): BuildImageRequest {
  return {
    contextDir,
    tag: recipe.tag,
    buildArgs: { ...recipe.buildArgs, ...extraArgs },
    noCache,
  };
}
