import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UsageError } from '../kernel/errors.js';
import { LABEL } from '../runtime/labels.js';
import type { Labels } from '../runtime/port.js';
import type { ExtraCaCert } from './ca-certs.js';
import type { BuildContext } from './context.js';
import { appendLabels, copyInto, writeCaCerts } from './context.js';
import { RECIPE_VERSION, hashDirectory, recipeHash } from './recipe.js';
import { TAGS, imageLabels } from './shared-images.js';
import { requiredNode, runtimeBinDirs, runtimeInstallLines, writeLaunchers } from './runtime-install.js';
import type { RuntimeInstall } from './runtime-install.js';

/** The operator identity baked into a derived image (files in mounts end up owned by it). */
export interface HostIdentity {
  readonly uid: number;
  readonly gid: number;
}

/**
 * A runtime installed into the derived image. The stub ships in the layer (no install); real
 * runtimes come from src/agents adapters (`imageRuntimeSpec`) with an install recipe and a launch argv.
 */
export interface RuntimeSpec {
  readonly name: string;
  readonly version: string;
  readonly install?: RuntimeInstall | undefined;
  /** Interactive argv the generated `jackin-runtime-<name>` launcher execs. */
  readonly launch?: readonly string[] | undefined;
  readonly launchEnv?: Readonly<Record<string, string>> | undefined;
}

export const STUB_RUNTIME: RuntimeSpec = { name: 'stub', version: '0.1.0' };

export interface DerivedRequest {
  /** Directory holding the role's Dockerfile (and jackin.role.toml). */
  readonly roleDir: string;
  /** Role key for tags and labels; defaults to the directory name. */
  readonly roleKey?: string;
  /** Dockerfile path inside the role directory. */
  readonly dockerfile?: string;
  readonly identity: HostIdentity;
  readonly runtimes: readonly RuntimeSpec[];
}

export interface DerivedRecipe {
  readonly roleKey: string;
  readonly roleDir: string;
  readonly tag: string;
  readonly hash: string;
  readonly dockerfile: string;
  readonly labels: Labels;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly runtimes: readonly RuntimeSpec[];
}

/** `agent-smith`, `my_role` → `my-role`: a key safe in image names and labels. */
export function roleKeyOf(roleDir: string): string {
  const key = basename(resolve(roleDir))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return key || 'role';
}

/** The jackin layer appended after the role's Dockerfile: identity, runtimes, entrypoint, tmux. */
export function jackinLayer(identity: HostIdentity, runtimes: readonly RuntimeSpec[]): string {
  const names = runtimes.map((r) => r.name).join(',');
  const binDirs = runtimeBinDirs(runtimes)
    .map((dir) => `${dir}:`)
    .join('');
  return [
    '',
    '# ---- jackin layer (generated; do not edit) ----',
    'USER root',
    'COPY .jackin/ca-certificates/ /usr/local/share/ca-certificates/jackin/',
    'COPY .jackin/runtime/ /jackin/runtime/',
    'COPY .jackin/tmux.conf /etc/tmux.conf',
    `RUN chmod 0755 /jackin/runtime/entrypoint.sh /jackin/runtime/setup-user.sh /jackin/runtime/bin/* \\`,
    ' && (update-ca-certificates >/dev/null 2>&1 || true) \\',
    ` && /jackin/runtime/setup-user.sh ${identity.uid} ${identity.gid}`,
    ...runtimeInstallLines(runtimes, identity),
    `ENV PATH=/jackin/runtime/bin:${binDirs}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\`,
    '    HOME=/home/agent \\',
    `    JACKIN_RUNTIMES=${names} \\`,
    '    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \\',
    '    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt',
    `USER ${identity.uid}:${identity.gid}`,
    'WORKDIR /home/agent',
    'ENTRYPOINT ["/usr/bin/tini", "--", "/jackin/runtime/entrypoint.sh"]',
    'CMD []',
    '',
  ].join('\n');
}

/**
 * Roles written for the Rust jackin name `projectjackin/construct:<ver>-trixie`, which no registry
 * may be able to serve here: such a FROM is pointed at jackin's local construct instead.
 */
export function mapLegacyConstruct(dockerfile: string): string {
  return dockerfile.replace(
    /^(\s*FROM\s+)(?:docker\.io\/)?projectjackin\/construct:[A-Za-z0-9._-]+(?:@sha256:[a-f0-9]{64})?/gim,
    `$1${TAGS.construct}`,
  );
}

function tagFor(roleKey: string, request: DerivedRequest): string {
  const runtimes = request.runtimes.map((r) => r.name).join('-') || 'none';
  return `jackin/role-${roleKey}:${runtimes}-${request.identity.uid}-${request.identity.gid}`;
}

/**
 * The derived image's recipe: role content (Dockerfile, manifest, every file), the construct image
 * id, the generated Dockerfile, the runtime set and versions, the host UID/GID and the CA
 * fingerprints. Same recipe → same hash → the existing image is reused without a build.
 */
export function derivedRecipe(
  request: DerivedRequest,
  layerDir: string,
  construct: { readonly id: string },
  certs: readonly ExtraCaCert[],
): DerivedRecipe {
  const roleDir = resolve(request.roleDir);
  const dockerfilePath = join(roleDir, request.dockerfile ?? 'Dockerfile');
  if (!existsSync(dockerfilePath)) {
    throw new UsageError(`role ${roleDir} has no ${request.dockerfile ?? 'Dockerfile'}`, {
      hint: 'a role is a directory with a Dockerfile (FROM the construct) and a jackin.role.toml',
    });
  }
  const roleKey = request.roleKey ?? roleKeyOf(roleDir);
  const roleDockerfile = mapLegacyConstruct(readFileSync(dockerfilePath, 'utf8'));
  const dockerfile = `${roleDockerfile.trimEnd()}\n${jackinLayer(request.identity, request.runtimes)}`;
  const hash = recipeHash({
    recipeVersion: RECIPE_VERSION,
    image: 'derived',
    role: roleKey,
    roleContent: hashDirectory(roleDir),
    layerAssets: hashDirectory(layerDir),
    constructImageId: construct.id,
    dockerfile,
    runtimes: request.runtimes.map((r) => ({
      name: r.name,
      version: r.version,
      install: r.install,
      launch: r.launch,
      launchEnv: r.launchEnv,
    })),
    uid: request.identity.uid,
    gid: request.identity.gid,
    caFingerprints: certs.map((c) => c.fingerprint),
  });
  return {
    roleKey,
    roleDir,
    tag: tagFor(roleKey, request),
    hash,
    dockerfile,
    labels: imageLabels('derived', hash, {
      [LABEL.role]: roleKey,
      [LABEL.hostUid]: String(request.identity.uid),
      [LABEL.hostGid]: String(request.identity.gid),
      [LABEL.runtimes]: request.runtimes.map((r) => `${r.name}@${r.version}`).join(','),
      [LABEL.nodeVersion]: requiredNode(request.runtimes),
    }),
    buildArgs: { JACKIN_CONSTRUCT_IMAGE: TAGS.construct },
    runtimes: request.runtimes,
  };
}

/** Fills a build context: the role directory, then `.jackin/` with the layer assets and CAs. */
export function prepareDerivedContext(
  context: BuildContext,
  recipe: DerivedRecipe,
  layerDir: string,
  certs: readonly ExtraCaCert[],
): string {
  copyInto(context, recipe.roleDir);
  copyInto(context, layerDir, '.jackin');
  writeCaCerts(context, certs, '.jackin/ca-certificates');
  writeLaunchers(context.dir, recipe.runtimes);
  const dockerfile = '.jackin/Dockerfile';
  writeFileSync(join(context.dir, dockerfile), recipe.dockerfile);
  appendLabels(context, dockerfile, recipe.labels);
  return dockerfile;
}
