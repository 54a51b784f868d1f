import { lstat, readdir } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { JackinError } from '../kernel/errors.js';

/** Home-relative paths whose mounting hands an agent credentials (SPEC "Agents and auth", jackin-facts §8.1). */
export const SENSITIVE_PATHS: readonly (readonly [string, string])[] = [
  ['.ssh', 'SSH keys'],
  ['.aws', 'AWS credentials'],
  ['.gnupg', 'GPG keys'],
  ['.config/gh', 'GitHub CLI token'],
  ['.config/gcloud', 'Google Cloud credentials'],
  ['.config/op', '1Password CLI session'],
  ['.kube', 'Kubernetes credentials'],
  ['.docker', 'Docker registry credentials'],
  ['.netrc', 'netrc passwords'],
  ['.npmrc', 'npm token'],
  ['.git-credentials', 'git credentials'],
];

/** Why a canonical host path needs confirmation, or undefined if it does not. */
export function sensitiveReason(canonical: string, home: string): string | undefined {
  if (canonical === '/') return 'the host root filesystem';
  if (canonical === home) return 'your whole home directory';
  const toHome = relative(canonical, home);
  if (toHome && !toHome.startsWith('..') && !toHome.startsWith(sep))
    return `contains your home directory (${home})`;
  const parts = canonical.split('/').filter(Boolean);
  for (const [pattern, reason] of SENSITIVE_PATHS) {
    const want = pattern.split('/');
    for (let i = 0; i + want.length <= parts.length; i++) {
      if (want.every((w, j) => parts[i + j] === w)) return reason;
    }
  }
  // a parent that merely contains a sensitive dir (e.g. ~/.config) exposes it too
  for (const [pattern, reason] of SENSITIVE_PATHS) {
    const inside = relative(canonical, join(home, pattern));
    if (canonical.startsWith(home) && inside && !inside.startsWith('..'))
      return `contains ~/${pattern} (${reason})`;
  }
  return undefined;
}

/** The Docker socket (or a directory holding it) is refused outright: it is root on the host. */
export async function refuseDockerSocket(canonical: string, shown: string): Promise<void> {
  const refuse = (): never => {
    throw new JackinError('sensitive_mount', `refusing to mount the Docker socket ('${shown}')`, {
      hint: 'agents get a private Docker daemon (DinD over TLS); the host socket is never mounted',
    });
  };
  const info = await lstat(canonical).catch(() => undefined);
  if (basename(canonical) === 'docker.sock' || (info?.isSocket() && basename(canonical).includes('docker')))
    refuse();
  if (info?.isDirectory()) {
    const entries = await readdir(canonical).catch(() => [] as string[]);
    if (entries.includes('docker.sock')) refuse();
    // `/` itself is a (confirmable) sensitive mount; any other ancestor of the socket is refused
    for (const socket of KNOWN_SOCKETS) {
      const inside = relative(canonical, socket);
      if (
        canonical !== '/' &&
        inside &&
        !inside.startsWith('..') &&
        (await lstat(socket).catch(() => undefined))
      )
        refuse();
    }
  }
}

const KNOWN_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];
