import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { JackinError } from '../kernel/errors.js';
import { processAlive } from '../kernel/process.js';
import { managedFilter, managedLabels } from './labels.js';
import type { ContainerRuntime, EngineInfo, SecurityProfile } from './port.js';
import { runToCompletion } from './run.js';

/**
 * How a DinD sidecar gets its powers on this engine. `privileged` is plain --privileged (the
 * default wherever it works). `equivalent` is used when the engine refuses --privileged because
 * its capability bounding set lacks a capability (runc: "unable to apply caps"): every capability
 * the engine has, seccomp/apparmor/systempaths unconfined, all devices; the sidecar entrypoint
 * then remounts the cgroup v1 hierarchies writable. See docs/adr/0005-privileged-mode-detection.md.
 */
export type PrivilegedSupport =
  | { readonly mode: 'privileged'; readonly reason: string }
  | { readonly mode: 'equivalent'; readonly reason: string; readonly missingCapabilities: readonly string[] };

/** Linux capabilities by bit number (capability.h); Docker's `ALL` covers these. */
export const CAPABILITIES = [
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_ADMIN',
  'NET_RAW',
  'IPC_LOCK',
  'IPC_OWNER',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_CHROOT',
  'SYS_PTRACE',
  'SYS_PACCT',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_NICE',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'MKNOD',
  'LEASE',
  'AUDIT_WRITE',
  'AUDIT_CONTROL',
  'SETFCAP',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'SYSLOG',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'AUDIT_READ',
  'PERFMON',
  'BPF',
  'CHECKPOINT_RESTORE',
] as const;

/** Capabilities absent from a CapBnd mask (hex, as in /proc/<pid>/status). */
export function missingCapabilities(capBndHex: string): string[] {
  const mask = BigInt(`0x${capBndHex.trim()}`);
  return CAPABILITIES.filter((_, bit) => (mask & (1n << BigInt(bit))) === 0n);
}

/** The container security profile a DinD sidecar runs with under a given support mode. */
export function sidecarSecurity(support: PrivilegedSupport): SecurityProfile {
  if (support.mode === 'privileged') return { privileged: true };
  return {
    capAdd: ['ALL'],
    capDrop: [...support.missingCapabilities],
    securityOpt: ['seccomp=unconfined', 'apparmor=unconfined', 'systempaths=unconfined'],
    deviceCgroupRules: ['a *:* rwm'],
  };
}

/** The same profile as docker CLI flags, for `explain` and for operators reproducing a launch. */
export function securityFlags(profile: SecurityProfile): string[] {
  if (profile.privileged) return ['--privileged'];
  return [
    ...(profile.capAdd ?? []).flatMap((c) => ['--cap-add', c]),
    ...(profile.capDrop ?? []).flatMap((c) => ['--cap-drop', c]),
    ...(profile.securityOpt ?? []).flatMap((o) => ['--security-opt', o]),
    ...(profile.deviceCgroupRules ?? []).flatMap((r) => ['--device-cgroup-rule', r]),
  ];
}

const CAPS_REFUSED = /apply caps|operation not permitted/i;

// Prints CapBnd of the engine's processes (dockerd, containerd and shims): runc inherits from them.
const READ_ENGINE_CAPS =
  'for p in /proc/[0-9]*; do c=$(cat "$p/comm" 2>/dev/null) || continue; ' +
  'case "$c" in dockerd|containerd|containerd-shim*) grep "^CapBnd:" "$p/status" 2>/dev/null;; esac; done';

export interface DetectOptions {
  /** A local image with /bin/sh, grep and cat (any jackin image qualifies). */
  readonly probeImage: string;
}

/** Which process on which host made a probe container: a probe whose maker is gone is litter. */
const PROBE_HOST = 'dev.jackin.probe.host';
const PROBE_PID = 'dev.jackin.probe.pid';

/**
 * A jackin killed mid-probe (SIGKILL, a crash) leaves its probe behind, and a refused --privileged
 * start leaves it in the `created` state forever. Before probing, remove the probes whose maker on
 * this host is no longer alive; probes of live processes and of other hosts are left alone.
 * Returns how many were removed.
 */
export async function reapOrphanedProbes(runtime: ContainerRuntime): Promise<number> {
  const me = hostname();
  const probes = await runtime.containers.list({ labels: managedFilter('probe'), all: true });
  let removed = 0;
  for (const probe of probes) {
    const pid = Number(probe.labels[PROBE_PID]);
    if (probe.labels[PROBE_HOST] !== me || !Number.isInteger(pid) || pid <= 0 || processAlive(pid)) continue;
    await runtime.containers.remove(probe.id).catch(() => undefined);
    removed++;
  }
  return removed;
}

/** Starts tiny probe containers to find out whether --privileged works on this engine. */
export async function detectPrivilegedSupport(
  runtime: ContainerRuntime,
  options: DetectOptions,
): Promise<PrivilegedSupport> {
  await reapOrphanedProbes(runtime).catch(() => 0);
  const labels = managedLabels('probe', { [PROBE_HOST]: hostname(), [PROBE_PID]: String(process.pid) });
  let refusal: string;
  try {
    const run = await runToCompletion(runtime, {
      image: options.probeImage,
      cmd: ['true'],
      labels,
      security: { privileged: true },
    });
    if (run.exitCode === 0)
      return { mode: 'privileged', reason: 'the engine starts --privileged containers' };
    refusal = `a --privileged probe exited ${run.exitCode}`;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!CAPS_REFUSED.test(message)) throw error;
    refusal =
      'the engine refuses --privileged (unable to apply caps: its capability bounding set is incomplete)';
  }
  const probe = await runToCompletion(runtime, {
    image: options.probeImage,
    cmd: ['sh', '-c', READ_ENGINE_CAPS],
    labels,
    hostPid: true,
  });
  const masks = [...probe.output.matchAll(/CapBnd:\s*([0-9a-f]+)/g)].map((m) => m[1] ?? '');
  // With host PID the probe also sees dockerds inside running DinD sidecars, whose sets are smaller
  // (and lack capabilities this engine does not even know): the engine's own set is the widest.
  const widest = masks.reduce((acc, m) => acc | BigInt(`0x${m.trim() || '0'}`), 0n).toString(16);
  const missing = masks.length > 0 ? missingCapabilities(widest) : ['SYS_RESOURCE'];
  const support: PrivilegedSupport = { mode: 'equivalent', reason: refusal, missingCapabilities: missing };
  try {
    await runToCompletion(runtime, {
      image: options.probeImage,
      cmd: ['true'],
      labels,
      security: sidecarSecurity(support),
    });
  } catch (error) {
    throw new JackinError(
      'docker_unavailable',
      `this engine can run neither --privileged nor an equivalent container: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: `the engine lacks ${missing.join(', ')}; run Docker with full capabilities for DinD sidecars`,
        cause: error,
      },
    );
  }
  return support;
}

/** Cache key: a different engine, engine version or kernel means probing again. */
function cacheKey(engine: EngineInfo): string {
  return `${engine.id}|${engine.serverVersion}|${engine.kernelVersion}`;
}

/** The per-engine detection cache, in the engine-facts cache directory. */
const CACHE_FILE = 'privileged-support.json';

function readCached(file: string, key: string): PrivilegedSupport | undefined {
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { key?: string; support?: PrivilegedSupport };
    return stored.key === key && stored.support ? stored.support : undefined;
  } catch {
    return undefined; // no cache yet
  }
}

/**
 * The detection this engine already has in the cache under `cacheDir`, without probing: a caller
 * that would have to look up a probe image first (explain, a launch) asks this before it does.
 */
export async function cachedPrivilegedSupport(
  runtime: ContainerRuntime,
  cacheDir: string,
): Promise<PrivilegedSupport | undefined> {
  return readCached(join(cacheDir, CACHE_FILE), cacheKey(await runtime.engine.info()));
}

/**
 * Detection with a per-engine cache file under `cacheDir` (probing costs ~0.5 s of container starts).
 * This is the function doctor, explain and launch call.
 */
export async function privilegedSupport(
  runtime: ContainerRuntime,
  options: DetectOptions & { readonly cacheDir: string; readonly refresh?: boolean },
): Promise<PrivilegedSupport & { readonly cached: boolean }> {
  const engine = await runtime.engine.info();
  const file = join(options.cacheDir, CACHE_FILE);
  const key = cacheKey(engine);
  if (!options.refresh) {
    const stored = readCached(file, key);
    if (stored) return { ...stored, cached: true };
  }
  const support = await detectPrivilegedSupport(runtime, options);
  mkdirSync(options.cacheDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ key, support }, null, 2)}\n`);
  return { ...support, cached: false };
}
