import { shippedPath } from '../kernel/install-root.js';

/**
 * Directories shipped next to the code (package.json "files"): `images/` holds the construct,
 * DinD and jackin-layer recipes, `roles/` the built-in roles.
 */
export function assetDir(name: 'images' | 'roles'): string {
  const path = shippedPath(name);
  if (path) return path;
  throw new Error(`jackin's ${name}/ directory is missing from the installation`);
}
