import type { GlobalConfig } from '../../config/config-schema.js';
import { explainRole } from '../contract/explain-role.js';

export interface RolePolicyDeps {
  readonly config: GlobalConfig;
  readonly rolesDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly home: string;
}

/**
 * Whether a task's role lets jackin push its branch and open a pull request: its manifest sets
 * `[task] push = true`, it is valid, and a git role is trusted. Read without cloning or fetching;
 * a role that cannot be found locally (or a plain label) does not push.
 */
export async function rolePushes(role: string, deps: RolePolicyDeps): Promise<boolean> {
  const facts = await explainRole(role, deps).catch(() => undefined);
  if (!facts?.valid || facts.manifest?.task?.push !== true) return false;
  return facts.kind !== 'git' || facts.trusted;
}
