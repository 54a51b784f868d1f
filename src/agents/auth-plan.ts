import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveAuthMode } from '../config/layering.js';
import type { LayerInput, Scope } from '../config/layering.js';
import type { AuthMode } from '../config/runtimes.js';
import { JackinError } from '../kernel/errors.js';
import type { RuntimeAdapter } from './adapter.js';
import { homePath } from './instance-state.js';
import type { InstanceStateLayout } from './instance-state.js';
import { operatorEnvValue, resolveSecrets } from './secret-values.js';
import type { OpReader, SecretRequest } from './secret-values.js';

export type ForwardMode = AuthMode | 'token';

/** A host file (or tree) copied into the instance home. */
export interface FileCopy {
  readonly from: string;
  /** Relative to the instance home (= /home/agent). */
  readonly to: string;
  readonly kind: 'file' | 'dir';
  /** `seed` copies only when the instance has none yet. */
  readonly role: 'credential' | 'seed';
}

/** What one runtime (or `github`) gets at launch, with resolved values held in memory only. */
export interface AuthEntry {
  readonly runtime: string;
  readonly mode: ForwardMode;
  readonly scope: Scope;
  readonly searched: readonly Scope[];
  readonly source: string;
  readonly fingerprint: string | undefined;
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly copies: readonly FileCopy[];
  /** Home-relative credential paths removed (the mode forwards no file). */
  readonly remove: readonly string[];
  /** Home-relative JSON files to merge keys into (claude's onboarding flag under oauth_token). */
  readonly mergeJson: readonly { readonly path: string; readonly keys: Readonly<Record<string, unknown>> }[];
  readonly warnings: readonly string[];
}

export interface AuthPlan {
  readonly instanceId: string;
  readonly entries: readonly AuthEntry[];
}

export interface AuthRequest {
  readonly instanceId: string;
  readonly layers: LayerInput;
  /** Every runtime the role supports: each is provisioned, so another session needs no login. */
  readonly runtimes: readonly RuntimeAdapter[];
  /** The runtime of the first session: its missing credential stops the launch. */
  readonly selected: string;
  readonly hostHome: string;
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  readonly layout: InstanceStateLayout;
  readonly readOp: OpReader;
  readonly opTimeoutMs?: number;
}

/** Claude skips its login wizard under oauth_token when its account file says onboarding is done. */
const ONBOARDING: Readonly<Record<string, { path: string; keys: Record<string, unknown> }>> = {
  claude: { path: '.claude.json', keys: { hasCompletedOnboarding: true } },
};

function fingerprintBytes(parts: readonly Buffer[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return `sha256:${hash.digest('hex').slice(0, 12)}`;
}

function treeBytes(path: string): Buffer[] {
  const info = lstatSync(path);
  if (info.isSymbolicLink()) return [];
  if (info.isFile()) return [readFileSync(path)];
  return readdirSync(path)
    .sort()
    .flatMap((name) => treeBytes(join(path, name)));
}

function exists(path: string): boolean {
  return existsSync(path) && !lstatSync(path).isSymbolicLink();
}

interface Need {
  readonly runtime: string;
  readonly key: string;
  readonly request: SecretRequest | undefined;
  readonly problem: string;
}

/** Where an auth-mode value comes from: the operator's env layers, else the host variable of that name. */
function valueFor(layers: LayerInput, name: string): SecretRequest | undefined {
  const scoped = operatorEnvValue(layers, name);
  if (scoped) return { key: name, value: scoped.value };
  return { key: name, value: `$${name}` };
}

function missing(
  runtime: string,
  mode: ForwardMode,
  scope: Scope,
  searched: readonly Scope[],
  what: string,
): string {
  return `${runtime}: auth mode ${mode} (chosen by ${scope}; searched ${searched.join(', ')}) needs ${what}`;
}

function planSync(adapter: RuntimeAdapter, request: AuthRequest, scope: Scope, searched: readonly Scope[]) {
  const copies: FileCopy[] = [];
  const bytes: Buffer[] = [];
  for (const credential of adapter.credentials) {
    const from = join(request.hostHome, credential.path);
    if (!exists(from)) continue;
    copies.push({ from, to: credential.path, kind: credential.kind, role: credential.role });
    if (credential.role === 'credential') bytes.push(...treeBytes(from));
  }
  const hostHas = copies.some((c) => c.role === 'credential');
  const instanceHas = adapter.credentials.some(
    (c) => c.role === 'credential' && exists(homePath(request.layout, c.path)),
  );
  const warnings: string[] = [];
  let problem: string | undefined;
  let source = adapter.credentials
    .filter((c) => c.role === 'credential')
    .map((c) => `~/${c.path}`)
    .join(', ');
  if (!hostHas && instanceHas) {
    source = 'instance';
    warnings.push(`${adapter.name}: no host login to sync; keeping the instance's own copy`);
  } else if (!hostHas && adapter.credentials.length > 0) {
    const what = `a host login (${source})`;
    // The default mode with no login is normal (log in inside the instance); an explicit choice is not.
    if (scope !== 'default') problem = missing(adapter.name, 'sync', scope, searched, what);
    else warnings.push(`${adapter.name}: no host login to sync (${source}); log in inside the instance`);
  }
  return { copies, fingerprint: hostHas ? fingerprintBytes(bytes) : undefined, source, warnings, problem };
}

/**
 * Decides, for each supported runtime, its effective mode (workspace×role → workspace → role →
 * global → sync), the files to copy and the values to inject, resolving `$VAR` and `op://` values
 * now. A credential the selected runtime's mode needs and cannot find fails here, before any
 * container exists, naming the scope that chose the mode.
 */
export async function planAuth(request: AuthRequest): Promise<AuthPlan> {
  const drafts: (Omit<AuthEntry, 'env' | 'fingerprint'> & { fingerprint?: string; needs: Need[] })[] = [];
  const problems: string[] = [];
  for (const adapter of request.runtimes) {
    const { mode, scope, searched } = resolveAuthMode(request.layers, adapter.name);
    const isSelected = adapter.name === request.selected;
    const credentialPaths = adapter.credentials.filter((c) => c.role === 'credential').map((c) => c.path);
    const base = { runtime: adapter.name, mode, scope, searched, mergeJson: [], needs: [] as Need[] };
    if (!adapter.auth.modes.includes(mode)) {
      problems.push(
        `${adapter.name}: auth mode ${mode} (chosen by ${scope}) is not supported; it supports ${adapter.auth.modes.join(', ')}`,
      );
      continue;
    }
    if (mode === 'sync') {
      const sync = planSync(adapter, request, scope, searched);
      if (sync.problem && isSelected) problems.push(sync.problem);
      const warnings =
        sync.problem && !isSelected
          ? [...sync.warnings, `${sync.problem} (skipped: not the selected runtime)`]
          : sync.warnings;
      drafts.push({
        ...base,
        source: sync.source,
        copies: sync.copies,
        remove: [],
        warnings,
        ...(sync.fingerprint ? { fingerprint: sync.fingerprint } : {}),
      });
      continue;
    }
    if (mode === 'ignore') {
      drafts.push({ ...base, source: 'none', copies: [], remove: credentialPaths, warnings: [] });
      continue;
    }
    const name = mode === 'api_key' ? adapter.auth.apiKeyEnv : adapter.auth.oauthTokenEnv;
    const onboarding = mode === 'oauth_token' ? ONBOARDING[adapter.name] : undefined;
    const need: Need = {
      runtime: adapter.name,
      key: name ?? mode,
      request: name ? valueFor(request.layers, name) : undefined,
      problem: missing(adapter.name, mode, scope, searched, name ?? `a ${mode} variable (none defined)`),
    };
    drafts.push({
      ...base,
      source: '',
      copies: [],
      remove: credentialPaths,
      mergeJson: onboarding ? [onboarding] : [],
      warnings: [],
      needs: [need],
    });
  }
  const resolved = await resolveNeeds(drafts, request, problems);
  if (problems.length > 0) {
    throw new JackinError('credential_missing', problems.join('; '), {
      hint: 'set the value (jackin config env set NAME VALUE, or export it on the host), or choose another mode with jackin config auth set MODE --agent NAME [--workspace W] [--role R]',
      details: { problems },
    });
  }
  return { instanceId: request.instanceId, entries: resolved };
}

async function resolveNeeds(
  drafts: readonly (Omit<AuthEntry, 'env' | 'fingerprint'> & { fingerprint?: string; needs: Need[] })[],
  request: AuthRequest,
  problems: string[],
): Promise<AuthEntry[]> {
  const options = {
    hostEnv: request.hostEnv,
    readOp: request.readOp,
    ...(request.opTimeoutMs === undefined ? {} : { timeoutMs: request.opTimeoutMs }),
  };
  // Every value at once (one op read each, concurrently); failures are collected, not short-circuited.
  const pending = drafts.map((draft) =>
    draft.needs.map((need) =>
      need.request
        ? resolveSecrets([need.request], options).then(
            ([secret]) => ({ secret, error: undefined }),
            (error: unknown) => ({
              secret: undefined,
              error: error instanceof Error ? error.message : String(error),
            }),
          )
        : Promise.resolve({ secret: undefined, error: 'not defined' }),
    ),
  );
  const out: AuthEntry[] = [];
  for (const [index, { needs, fingerprint, ...draft }] of drafts.entries()) {
    const results = await Promise.all(pending[index] ?? []);
    const env: { name: string; value: string }[] = [];
    let source = draft.source;
    let print = fingerprint;
    const warnings = [...draft.warnings];
    needs.forEach((need, at) => {
      const result = results[at];
      if (result?.secret) {
        env.push({ name: result.secret.key, value: result.secret.value });
        source = result.secret.source;
        print = fingerprintBytes([Buffer.from(result.secret.value)]);
        return;
      }
      const problem = need.request ? `${need.problem}: ${result?.error ?? 'unresolved'}` : need.problem;
      if (need.runtime === request.selected) problems.push(problem);
      else warnings.push(`${problem} (skipped: not the selected runtime)`);
    });
    out.push({ ...draft, env, source, fingerprint: print, warnings });
  }
  return out;
}
