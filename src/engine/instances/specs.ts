import { dirname } from 'node:path';
import { LABEL, managedLabels } from '../../runtime/labels.js';
import type { ContainerSpec, Labels, Mount, ResourceLimits, SecurityProfile } from '../../runtime/port.js';
import { SIDECAR_CLIENT_CERTS, SIDECAR_TLS_PORT } from '../../runtime/dind-ready.js';
import type { InstanceNames } from './naming.js';

/** Where the role container sees the sidecar's client certificates (read-only). */
export const CONTAINER_CERT_PATH = '/jackin/certs';
/** The private env file (secrets): its host directory is mounted, the file sourced before the agent starts. */
export const CONTAINER_SECRETS_FILE = '/jackin/secrets/env';
/** Where the role container keeps the secrets after its first start: its own writable layer, not the host. */
export const CONTAINER_KEPT_SECRETS = '/tmp/.jackin-secrets.env';

/** The contract's limits: each the winning value and the layer that set it, or null. */
export interface LimitsInput {
  readonly memory: { readonly value: string } | null;
  readonly cpus: { readonly value: number } | null;
  readonly pids: { readonly value: number } | null;
}

const UNIT: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `4g` → bytes (binary units, as Docker reads --memory). */
export function memoryBytes(size: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)b?$/i.exec(size.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (UNIT[(match[2] ?? '').toLowerCase()] ?? 1));
}

export function resourceLimits(limits: LimitsInput): ResourceLimits {
  const memory = limits.memory ? memoryBytes(limits.memory.value) : undefined;
  return {
    ...(memory ? { memoryBytes: memory } : {}),
    ...(limits.cpus ? { nanoCpus: Math.round(limits.cpus.value * 1e9) } : {}),
    ...(limits.pids ? { pidsLimit: limits.pids.value } : {}),
  };
}

export interface InstanceIdentity {
  readonly instanceId: string;
  readonly role: string;
  readonly workspace: string;
  /** The owning jackin home's log id (`dev.jackin.home`, ADR 0023). */
  readonly home: string;
}

/**
 * Who a Docker object belongs to. A prewarmed sidecar's objects carry the id the adopting instance
 * will take and the prewarm id, but no role or workspace (labels cannot change after creation).
 * Both carry the home (log id) that owns them.
 */
export type ObjectOwner = InstanceIdentity | { readonly prewarmId: string; readonly home: string };

function labels(kind: 'role' | 'dind' | 'network' | 'certs', who: ObjectOwner): Labels {
  if ('prewarmId' in who)
    return managedLabels(kind, {
      [LABEL.home]: who.home,
      [LABEL.instance]: who.prewarmId,
      [LABEL.prewarm]: who.prewarmId,
    });
  return managedLabels(kind, {
    [LABEL.home]: who.home,
    [LABEL.instance]: who.instanceId,
    [LABEL.role]: who.role,
    [LABEL.workspace]: who.workspace,
  });
}

export function networkRequest(
  names: Pick<InstanceNames, 'network'>,
  who: ObjectOwner,
): { name: string; labels: Labels } {
  return { name: names.network, labels: labels('network', who) };
}

export function certsVolumeRequest(
  names: Pick<InstanceNames, 'certs'>,
  who: ObjectOwner,
): { name: string; labels: Labels } {
  return { name: names.certs, labels: labels('certs', who) };
}

/** The DinD sidecar: privileged (or the equivalent profile), certs into the volume, TLS on 2376 only. */
export function sidecarSpec(
  names: Pick<InstanceNames, 'sidecar' | 'network' | 'certs'>,
  who: ObjectOwner,
  image: string,
  security: SecurityProfile,
  limits: ResourceLimits,
  proxy: Readonly<Record<string, string>> = {},
): ContainerSpec {
  return {
    image,
    name: names.sidecar,
    hostname: names.sidecar,
    // The inner dockerd pulls through the operator's proxy too (its CA is baked into the image).
    env: { ...proxy, DIND_NAME: names.sidecar },
    labels: labels('dind', who),
    network: names.network,
    networkAliases: [names.sidecar],
    mounts: [{ type: 'volume', source: names.certs, target: SIDECAR_CLIENT_CERTS }],
    security,
    resources: limits,
  };
}

export interface RoleContainerInput {
  readonly names: InstanceNames;
  readonly who: InstanceIdentity;
  readonly image: string;
  readonly agent: string;
  readonly workdir: string;
  readonly uid: number;
  readonly gid: number;
  readonly mounts: readonly Mount[];
  /** Host path of the private env file (0600), or undefined when there is no secret. */
  readonly secretsFile: string | undefined;
  readonly limits: ResourceLimits;
  /** Headless run (fleet tasks): this argv replaces the tmux session; the container exits with it. */
  readonly command?: readonly string[] | undefined;
  /** Extra, non-secret env for a headless run (task id, branch). */
  readonly extraEnv?: Readonly<Record<string, string>> | undefined;
  /** HTTP(S)_PROXY / NO_PROXY passed through from the host (NO_PROXY includes the sidecar). */
  readonly proxy?: Readonly<Record<string, string>> | undefined;
}

/**
 * The role container: host UID/GID, HOME=/home/agent, the sidecar as its Docker daemon over mutual
 * TLS (client certs read-only), never the host socket. Secrets come from a private env file the
 * command sources before the entrypoint, so they are neither in argv nor in `docker inspect`.
 */
export function roleSpec(input: RoleContainerInput): ContainerSpec {
  const { names } = input;
  // The env file is moved into the container's own filesystem on first start (the host copy is
  // deleted then, see ADR 0016); restarts source the kept copy.
  // A headless argv reaches the entrypoint as "$@" (it execs its arguments instead of tmux).
  const entry = input.command
    ? 'exec /jackin/runtime/entrypoint.sh "$@"'
    : 'exec /jackin/runtime/entrypoint.sh';
  const source = input.secretsFile
    ? [
        `if [ -f ${CONTAINER_SECRETS_FILE} ]; then (umask 077; cat ${CONTAINER_SECRETS_FILE} > ${CONTAINER_KEPT_SECRETS}) && rm -f ${CONTAINER_SECRETS_FILE}; fi`,
        `if [ -f ${CONTAINER_KEPT_SECRETS} ]; then set -a; . ${CONTAINER_KEPT_SECRETS}; set +a; fi`,
        entry,
      ].join('; ')
    : entry;
  return {
    image: input.image,
    name: names.container,
    hostname: names.container,
    user: `${input.uid}:${input.gid}`,
    workdir: input.workdir,
    cmd: ['sh', '-c', source, ...(input.command ? ['jackin-headless', ...input.command] : [])],
    env: {
      ...input.proxy,
      HOME: '/home/agent',
      DOCKER_HOST: `tcp://${names.sidecar}:${SIDECAR_TLS_PORT}`,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: CONTAINER_CERT_PATH,
      JACKIN_DIND_HOSTNAME: names.sidecar,
      JACKIN_INSTANCE_ID: input.who.instanceId,
      JACKIN_INSTANCE_NAME: names.container,
      JACKIN_RUNTIME: input.agent,
      JACKIN_WORKDIR: input.workdir,
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
      ...input.extraEnv,
    },
    labels: labels('role', input.who),
    network: names.network,
    mounts: [
      ...input.mounts,
      { type: 'volume', source: names.certs, target: CONTAINER_CERT_PATH, readOnly: true },
      ...(input.secretsFile
        ? [
            {
              type: 'bind' as const,
              source: dirname(input.secretsFile),
              target: dirname(CONTAINER_SECRETS_FILE),
            },
          ]
        : []),
    ],
    resources: input.limits,
  };
}
