import { join } from 'node:path';
import { shippedPath } from '../../kernel/install-root.js';

/** The rule packs shipped with jackin (`images/agent-status/packs`, part of the package files). */
export function shippedPackDir(): string {
  const path = shippedPath('images', 'agent-status', 'packs');
  if (path) return path;
  throw new Error("jackin's images/agent-status/packs directory is missing from the installation");
}

/** Shipped packs first, then the operator's own (`<JACKIN_HOME>/agent-status/packs`), which override per runtime. */
export function rulePackDirs(jackinHome: string): string[] {
  return [shippedPackDir(), join(jackinHome, 'agent-status', 'packs')];
}
