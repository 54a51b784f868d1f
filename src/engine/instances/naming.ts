import { createHash, randomBytes } from 'node:crypto';

/** Crockford base32, lowercase: DNS-safe and unambiguous (no i, l, o, u). */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** An 8-character random instance id (40 bits), e.g. `k3x9m2qa`. */
export function newInstanceId(bytes: Buffer = randomBytes(5)): string {
  let value = 0n;
  for (const byte of bytes.subarray(0, 5)) value = (value << 8n) | BigInt(byte);
  let id = '';
  for (let i = 0; i < 8; i++) {
    id = (ALPHABET[Number(value & 31n)] ?? '0') + id;
    value >>= 5n;
  }
  return id;
}

export interface InstanceNames {
  /** The role container, also the instance's display name and state directory name. */
  readonly container: string;
  readonly sidecar: string;
  readonly network: string;
  readonly certs: string;
}

function compact(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function shorten(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const suffix = createHash('sha256').update(text).digest('hex').slice(0, 4);
  return `${text.slice(0, Math.max(1, budget - 4))}${suffix}`;
}

/**
 * `jk-<id>-<workspace>-<role>` (or `jk-<id>-<role>` ad hoc), at most 58 characters so that
 * `<base>-dind` is still a DNS label (63); long parts share the budget and keep a hash suffix.
 */
export function instanceNames(id: string, role: string, workspace: string | null): InstanceNames {
  const roleCompact = compact(role.split('/').at(-1) ?? role) || 'role';
  const wsCompact = workspace ? compact(workspace) : '';
  const budget = 58 - `jk-${id}-`.length - (wsCompact ? 1 : 0);
  let parts: string[];
  if (wsCompact && wsCompact.length + roleCompact.length > budget) {
    const half = Math.floor(budget / 2);
    parts = [shorten(wsCompact, half), shorten(roleCompact, budget - half)];
  } else {
    parts = wsCompact
      ? [wsCompact, shorten(roleCompact, budget - wsCompact.length)]
      : [shorten(roleCompact, budget)];
  }
  const base = `jk-${id}-${parts.join('-')}`;
  return { container: base, sidecar: `${base}-dind`, network: `${base}-net`, certs: `${base}-dind-certs` };
}

/**
 * A prewarmed sidecar's objects: `jk-<id>-prewarm-dind` and its `-net` / `-dind-certs`. They keep
 * these names after adoption (Docker cannot rename networks or volumes); the adopting instance takes
 * the same id, so its role container is `jk-<id>-<workspace>-<role>` beside them.
 */
export function prewarmNames(id: string): Omit<InstanceNames, 'container'> {
  const { sidecar, network, certs } = instanceNames(id, 'prewarm', null);
  return { sidecar, network, certs };
}

/** The scratch branch of an isolated checkout. */
export function scratchBranch(instanceId: string): string {
  return `jackin/scratch/${instanceId}`;
}
