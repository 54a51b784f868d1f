import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { GlobalConfig } from '../../config/config-schema.js';
import { resolveAuthMode } from '../../config/layering.js';
import type { LayerInput, ResolvedEnvVar } from '../../config/layering.js';
import { runtimeAuthFacts } from '../../config/runtimes.js';

/** What would be forwarded for one runtime: names, sources and files, never values. */
export interface CredentialPlan {
  readonly agent: string;
  readonly mode: string;
  readonly chosenBy: string;
  readonly searched: string[];
  readonly forwards: {
    readonly kind: 'file' | 'env';
    readonly name: string;
    readonly source: string;
    readonly present: boolean;
  }[];
  /** Why a launch would stop before any container starts, or null. */
  readonly problem: string | null;
}

export async function planCredentials(
  agent: string,
  layers: LayerInput & { config: GlobalConfig },
  operatorEnv: readonly ResolvedEnvVar[],
  hostEnv: NodeJS.ProcessEnv,
  home: string,
): Promise<CredentialPlan> {
  const resolved = resolveAuthMode(layers, agent);
  const facts = runtimeAuthFacts(agent, layers.config.runtimes ?? {});
  const base = { agent, mode: resolved.mode, chosenBy: resolved.scope, searched: resolved.searched };
  if (!facts) return { ...base, forwards: [], problem: `unknown runtime '${agent}'` };
  if (resolved.mode === 'ignore') return { ...base, forwards: [], problem: null };
  if (resolved.mode === 'sync') {
    const forwards = await Promise.all(
      facts.syncFiles.map(async (file) => {
        const path = file.startsWith('~/') ? join(home, file.slice(2)) : file;
        const present = await stat(path).then(
          () => true,
          () => false,
        );
        return { kind: 'file' as const, name: file, source: path, present };
      }),
    );
    const problem =
      forwards.some((f) => f.present) || forwards.length === 0
        ? null
        : `no ${agent} credential files found for sync (${facts.syncFiles.join(', ')})`;
    return { ...base, forwards, problem };
  }
  const name = resolved.mode === 'api_key' ? facts.apiKeyEnv : facts.oauthTokenEnv;
  if (!name) return { ...base, forwards: [], problem: `${agent} has no ${resolved.mode} variable` };
  const fromLayers = operatorEnv.find((v) => v.name === name);
  let source: string;
  let present: boolean;
  if (fromLayers) {
    const s = fromLayers.source;
    source = `${fromLayers.scope} env: ${s.kind === 'op' ? s.ref : s.kind === 'host' ? `$${s.name}` : `literal ${s.fingerprint}`}`;
    present = s.kind !== 'host' || hostEnv[s.name] !== undefined;
  } else {
    source = `host env $${name}`;
    present = hostEnv[name] !== undefined;
  }
  const problem = present
    ? null
    : `${name} is not set (mode ${resolved.mode} chosen by ${resolved.scope}; searched ${resolved.searched.join(', ')})`;
  return { ...base, forwards: [{ kind: 'env', name, source, present }], problem };
}
