import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvValue } from '../config/env-value.js';
import { resolveAuthMode } from '../config/layering.js';
import type { LayerInput, Scope } from '../config/layering.js';
import { JackinError } from '../kernel/errors.js';
import type { AuthEntry } from './auth-plan.js';
import { homePath } from './instance-state.js';
import type { InstanceStateLayout } from './instance-state.js';
import { operatorEnvValue, resolveSecrets } from './secret-values.js';
import type { OpReader } from './secret-values.js';

/** gh's login file, relative to the home directory (host and instance alike). */
export const GH_HOSTS = '.config/gh/hosts.yml';

export interface GithubAuthRequest {
  readonly layers: LayerInput;
  readonly hostHome: string;
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  readonly layout: InstanceStateLayout;
  readonly readOp: OpReader;
  readonly opTimeoutMs?: number;
}

type GithubTable = { env?: Record<string, EnvValue> } | undefined;

/** `[github.env] GH_TOKEN` at the most specific scope that sets it, else operator env, else `$GH_TOKEN`. */
function tokenValue(layers: LayerInput): EnvValue {
  const { config, workspace, role } = layers;
  const tables: GithubTable[] = [];
  if (workspace && role) tables.push(workspace.value.roles?.[role]?.github as GithubTable);
  if (workspace) tables.push(workspace.value.github as GithubTable);
  if (role) tables.push(config.roles?.[role]?.github as GithubTable);
  tables.push(config.github as GithubTable);
  for (const table of tables) {
    const value = table?.env?.GH_TOKEN ?? table?.env?.GITHUB_TOKEN;
    if (value !== undefined) return value;
  }
  return operatorEnvValue(layers, 'GH_TOKEN')?.value ?? '$GH_TOKEN';
}

function fingerprintOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).update('\0').digest('hex').slice(0, 12)}`;
}

const isFile = (path: string): boolean => existsSync(path) && lstatSync(path).isFile();

/**
 * The GitHub CLI's login for an instance: `sync` copies the host's gh hosts.yml (keeping the
 * instance's copy when the host has none), `token` injects GH_TOKEN and GITHUB_TOKEN, `ignore`
 * removes any forwarded login. Same layers as the runtimes; no runtime dimension.
 */
export async function planGithubAuth(request: GithubAuthRequest): Promise<AuthEntry> {
  const resolved = resolveAuthMode(request.layers, 'github');
  const mode = resolved.mode as string as 'sync' | 'token' | 'ignore';
  const { scope, searched } = resolved as { scope: Scope; searched: Scope[] };
  const base = { runtime: 'github', mode, scope, searched, mergeJson: [] };
  if (mode === 'ignore') {
    return {
      ...base,
      source: 'none',
      fingerprint: undefined,
      env: [],
      copies: [],
      remove: [GH_HOSTS],
      warnings: [],
    };
  }
  if (mode === 'token') {
    const value = tokenValue(request.layers);
    try {
      const [secret] = await resolveSecrets([{ key: 'GH_TOKEN', value }], {
        hostEnv: request.hostEnv,
        readOp: request.readOp,
        ...(request.opTimeoutMs === undefined ? {} : { timeoutMs: request.opTimeoutMs }),
      });
      const token = secret?.value ?? '';
      return {
        ...base,
        source: secret?.source ?? '$GH_TOKEN',
        fingerprint: fingerprintOf(Buffer.from(token)),
        env: [
          { name: 'GH_TOKEN', value: token },
          { name: 'GITHUB_TOKEN', value: token },
        ],
        copies: [],
        remove: [GH_HOSTS],
        warnings: [],
      };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new JackinError(
        'credential_missing',
        `github: auth mode token (chosen by ${scope}; searched ${searched.join(', ')}) needs GH_TOKEN: ${why}`,
        { hint: 'set [github.env] GH_TOKEN = "$GH_TOKEN" or "op://…" in config.toml, or export GH_TOKEN' },
      );
    }
  }
  const from = join(request.hostHome, GH_HOSTS);
  if (isFile(from)) {
    return {
      ...base,
      source: `~/${GH_HOSTS}`,
      fingerprint: fingerprintOf(readFileSync(from)),
      env: [],
      copies: [{ from, to: GH_HOSTS, kind: 'file', role: 'credential' }],
      remove: [],
      warnings: [],
    };
  }
  const kept = isFile(homePath(request.layout, GH_HOSTS));
  if (!kept && scope !== 'default') {
    throw new JackinError(
      'credential_missing',
      `github: auth mode sync (chosen by ${scope}; searched ${searched.join(', ')}) needs a host gh login (~/${GH_HOSTS})`,
      { hint: 'run `gh auth login` on the host, or choose token/ignore with jackin config auth set' },
    );
  }
  const warning = kept
    ? 'github: no host gh login; keeping the instance copy'
    : 'github: no host gh login to sync';
  return {
    ...base,
    source: kept ? 'instance' : 'none',
    fingerprint: undefined,
    env: [],
    copies: [],
    remove: [],
    warnings: [warning],
  };
}
