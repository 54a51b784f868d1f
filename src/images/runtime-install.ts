import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { byCodeUnit } from '../kernel/order.js';

/**
 * How a runtime is installed into a derived image. src/agents produces the same shape from its
 * adapters (it may not be imported here; the engine passes one to the other, checked structurally).
 */
export type RuntimeInstall =
  | {
      readonly kind: 'npm';
      readonly package: string;
      readonly version: string;
      readonly node?: { readonly version: string } | undefined;
    }
  | { readonly kind: 'script'; readonly url: string; readonly binDir: string }
  | { readonly kind: 'shell'; readonly command: string }
  | { readonly kind: 'none' };

/** The part of a derived request's runtime this file reads (RuntimeSpec in derived-image.ts). */
export interface InstallableRuntime {
  readonly name: string;
  readonly install?: RuntimeInstall | undefined;
  /** Interactive argv the `jackin-runtime-<name>` launcher execs, followed by its own arguments. */
  readonly launch?: readonly string[] | undefined;
  /** Non-secret env the launcher exports. */
  readonly launchEnv?: Readonly<Record<string, string>> | undefined;
}

type RuntimeSpec = InstallableRuntime;
type HostIdentity = { readonly uid: number; readonly gid: number };

/** Where launchers live in the build context (copied to /jackin/runtime/bin/). */
export const LAUNCHER_DIR = '.jackin/launchers';
const RUNTIMES_ROOT = '/opt/jackin/runtimes';
const NPM =
  'npm install -g --prefix /usr/local --no-audit --no-fund --loglevel=error --cache /tmp/jackin-npm-cache';

/** `RUN` in exec form: the script travels as one JSON string, so no quoting or newline can break out. */
function run(script: string): string {
  return `RUN ["/bin/sh", "-c", ${JSON.stringify(`set -eu; ${script}`)}]`;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The newest Node.js any runtime asks for (npm's `node` package), or undefined. */
export function requiredNode(runtimes: readonly RuntimeSpec[]): string | undefined {
  const versions = runtimes.flatMap((r) =>
    r.install?.kind === 'npm' && r.install.node ? [r.install.node.version] : [],
  );
  return versions.sort(compareVersions).at(-1);
}

/** True when a request installs anything beyond the layer's own stub (older recipes stay byte-identical). */
export function hasRuntimeInstalls(runtimes: readonly RuntimeSpec[]): boolean {
  return runtimes.some((r) => (r.install && r.install.kind !== 'none') || r.launch !== undefined);
}

function installStep(spec: RuntimeSpec, identity: HostIdentity): string | undefined {
  const install = spec.install;
  // Version checks write caches into $HOME: keep them out of the agent's home.
  const check = spec.launch?.[0]
    ? ` && HOME=/tmp/jackin-build-home ${shellQuote(spec.launch[0])} --version`
    : '';
  if (!install || install.kind === 'none') return undefined;
  if (install.kind === 'npm') {
    return run(
      `${NPM} ${shellQuote(`${install.package}@${install.version}`)}${check}; rm -rf /tmp/jackin-npm-cache /tmp/jackin-build-home`,
    );
  }
  if (install.kind === 'shell') {
    return run(
      `HOME=/home/agent; export HOME; ${install.command}; chown -R ${identity.uid}:${identity.gid} /home/agent`,
    );
  }
  const script = `/tmp/jackin-install-${spec.name}.sh`;
  const target = `${RUNTIMES_ROOT}/${spec.name}/bin`;
  return run(
    [
      `if ! curl -fsSL --connect-timeout 15 --max-time 120 --retry 2 ${shellQuote(install.url)} -o ${script}; then`,
      `echo ${shellQuote(`jackin: cannot install ${spec.name}: its vendor installer ${install.url} is unreachable from this build (check the network or proxy, or remove ${spec.name} from the role's agents)`)} >&2; exit 1; fi;`,
      `HOME=/home/agent sh ${script}; rm -f ${script};`,
      `mkdir -p ${RUNTIMES_ROOT}/${spec.name}; mv /home/agent/${install.binDir} ${target};`,
      `chown -R ${identity.uid}:${identity.gid} /home/agent; PATH=${target}:$PATH${check}`,
    ].join(' '),
  );
}

/** Extra PATH entries for runtimes whose binaries do not land in /usr/local/bin. */
export function runtimeBinDirs(runtimes: readonly RuntimeSpec[]): string[] {
  return runtimes.flatMap((r) => (r.install?.kind === 'script' ? [`${RUNTIMES_ROOT}/${r.name}/bin`] : []));
}

/**
 * Dockerfile lines (run as root, after the agent user exists) that install the runtimes: Node.js
 * first when one needs it, then one layer per runtime (a changed pin rebuilds only from there), then
 * the `jackin-runtime-<name>` launchers.
 */
export function runtimeInstallLines(runtimes: readonly RuntimeSpec[], identity: HostIdentity): string[] {
  if (!hasRuntimeInstalls(runtimes)) return [];
  const lines: string[] = [];
  const node = requiredNode(runtimes);
  if (node)
    lines.push(run(`${NPM} ${shellQuote(`node@${node}`)} && node --version; rm -rf /tmp/jackin-npm-cache`));
  for (const spec of runtimes) {
    const step = installStep(spec, identity);
    if (step) lines.push(step);
  }
  lines.push(`COPY ${LAUNCHER_DIR}/ /jackin/runtime/bin/`);
  // Parents of the per-instance state mounts exist and belong to the agent, else Docker creates them root-owned.
  lines.push(
    run(
      `chmod 0755 /jackin/runtime/bin/*; mkdir -p /home/agent/.local/share /home/agent/.config; chown -R ${identity.uid}:${identity.gid} /home/agent`,
    ),
  );
  return lines;
}

/** The launcher script: exports the runtime's env and execs its interactive argv with extra args. */
export function launcherScript(spec: RuntimeSpec): string {
  const env = Object.entries(spec.launchEnv ?? {})
    .sort(([a], [b]) => byCodeUnit(a, b))
    .map(([name, value]) => `export ${name}=${shellQuote(value)}`);
  const argv = (spec.launch ?? [spec.name]).map(shellQuote).join(' ');
  return [
    '#!/bin/sh',
    `# jackin launcher for ${spec.name} (generated from its runtime adapter).`,
    ...env,
    `exec ${argv} "$@"`,
    '',
  ].join('\n');
}

/** Writes one launcher per runtime with a launch argv into the build context. */
export function writeLaunchers(contextDir: string, runtimes: readonly RuntimeSpec[]): void {
  if (!hasRuntimeInstalls(runtimes)) return;
  const dir = join(contextDir, LAUNCHER_DIR);
  mkdirSync(dir, { recursive: true });
  for (const spec of runtimes) {
    if (spec.launch)
      writeFileSync(join(dir, `jackin-runtime-${spec.name}`), launcherScript(spec), { mode: 0o755 });
  }
}
