import type { InstallRecipe, RuntimeAdapter } from './adapter.js';

/** What the derived image needs to know about a runtime (src/images `RuntimeSpec`, structurally). */
export interface ImageRuntimeSpec {
  readonly name: string;
  readonly version: string;
  readonly install: InstallRecipe;
  readonly launch: readonly string[];
  readonly launchEnv: Readonly<Record<string, string>>;
}

function versionOf(install: InstallRecipe): string {
  if (install.kind === 'npm') return install.version;
  if (install.kind === 'script') return 'vendor-script';
  return 'operator';
}

/**
 * The image side of an adapter: its install recipe, its pinned version (labels and recipe hash)
 * and the interactive argv the `jackin-runtime-<name>` launcher execs.
 */
export function imageRuntimeSpec(adapter: RuntimeAdapter): ImageRuntimeSpec {
  return {
    name: adapter.name,
    version: versionOf(adapter.install),
    install: adapter.install,
    launch: adapter.interactive,
    launchEnv: adapter.launchEnv,
  };
}
