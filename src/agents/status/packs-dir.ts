import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The rule packs shipped with jackin (`images/agent-status/packs`, part of the package files),
 * found relative to this module: src/agents/status/ under vitest, dist/src/agents/status/ when built.
 */
export function shippedPackDir(): string {
  for (const up of ['../../../', '../../../../']) {
    const path = fileURLToPath(new URL(`${up}images/agent-status/packs/`, import.meta.url));
    if (existsSync(path)) return path.replace(/\/$/, '');
  }
  throw new Error("jackin's images/agent-status/packs directory is missing from the installation");
}

/** Shipped packs first, then the operator's own (`<JACKIN_HOME>/agent-status/packs`), which override per runtime. */
export function rulePackDirs(jackinHome: string): string[] {
  return [shippedPackDir(), join(jackinHome, 'agent-status', 'packs')];
}
