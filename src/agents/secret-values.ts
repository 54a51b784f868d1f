import { execFile } from 'node:child_process';
import type { LayerInput, Scope } from '../config/layering.js';
import type { EnvMap, EnvValue } from '../config/env-value.js';
import { JackinError } from '../kernel/errors.js';

/** Reads one 1Password reference (`op read`); the port lets tests run without the op CLI. */
export type OpReader = (
  ref: string,
  options: { account?: string | undefined; timeoutMs: number },
) => Promise<string>;

/** The real reader: `op read --no-newline REF`, killed after the timeout. */
export const opCliReader: OpReader = (ref, { account, timeoutMs }) =>
  new Promise((resolveValue, reject) => {
    const args = ['read', '--no-newline', ref, ...(account ? ['--account', account] : [])];
    execFile('op', args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        const why = error.killed
          ? `timed out after ${timeoutMs} ms`
          : (stderr.trim().split('\n')[0] ?? error.message);
        reject(new Error(`op read ${ref}: ${why || error.message}`));
      } else resolveValue(stdout);
    });
  });

/** An operator env value and the layer it came from. */
export interface ScopedValue {
  readonly value: EnvValue;
  readonly scope: Scope;
}

/** The winning raw value of one operator env name, later layers win: global → role → workspace → workspace×role. */
export function operatorEnvValue(input: LayerInput, name: string): ScopedValue | undefined {
  const { config, workspace, role } = input;
  const layers: [Scope, EnvMap | undefined][] = [['global', config.env]];
  if (role) layers.push([`role:${role}`, config.roles?.[role]?.env]);
  if (workspace) {
    layers.push([`workspace:${workspace.name}`, workspace.value.env]);
    if (role) layers.push([`workspace:${workspace.name}×role:${role}`, workspace.value.roles?.[role]?.env]);
  }
  let found: ScopedValue | undefined;
  for (const [scope, env] of layers) {
    const value = env?.[name];
    if (value !== undefined) found = { value, scope };
  }
  return found;
}

/** One value to resolve, with a description of its source that is safe to record and print. */
export interface SecretRequest {
  readonly key: string;
  readonly value: EnvValue;
}

export interface ResolvedSecret {
  readonly key: string;
  readonly value: string;
  /** `op://…`, `$NAME` or `literal`: never the value. */
  readonly source: string;
}

export interface ResolveOptions {
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  readonly readOp: OpReader;
  readonly timeoutMs?: number;
}

const HOST_REF = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;

/** Where a value comes from, for events and errors. */
export function describeValueSource(value: EnvValue): string {
  if (typeof value !== 'string' && 'op' in value) return value.op;
  const text = typeof value === 'string' ? value : value.value;
  if (text.startsWith('op://')) return text;
  const host = HOST_REF.exec(text);
  return host ? `$${host[1] ?? host[2] ?? ''}` : 'literal';
}

async function resolveOne(request: SecretRequest, options: ResolveOptions): Promise<string> {
  const { value } = request;
  const timeoutMs = options.timeoutMs ?? 120_000;
  if (typeof value !== 'string' && 'op' in value)
    return options.readOp(value.op, { account: value.account, timeoutMs });
  const text = typeof value === 'string' ? value : value.value;
  if (text.startsWith('op://')) return options.readOp(text, { timeoutMs });
  const host = HOST_REF.exec(text);
  if (!host) return text;
  const name = host[1] ?? host[2] ?? '';
  const resolved = options.hostEnv[name];
  if (resolved === undefined || resolved === '') throw new Error(`host variable $${name} is not set`);
  return resolved;
}

/**
 * Resolves every value at once (one `op read` each, concurrently, with a timeout) and reports all
 * failures together in one error naming each key; values are returned, never logged.
 */
export async function resolveSecrets(
  requests: readonly SecretRequest[],
  options: ResolveOptions,
): Promise<ResolvedSecret[]> {
  const settled = await Promise.allSettled(requests.map((request) => resolveOne(request, options)));
  const failures: string[] = [];
  const out: ResolvedSecret[] = [];
  settled.forEach((result, index) => {
    const request = requests[index]!;
    if (result.status === 'rejected') {
      const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
      failures.push(`${request.key} (${describeValueSource(request.value)}): ${reason}`);
    } else out.push({ key: request.key, value: result.value, source: describeValueSource(request.value) });
  });
  if (failures.length > 0) {
    throw new JackinError(
      'credential_missing',
      `cannot resolve ${failures.length} value(s): ${failures.join('; ')}`,
      {
        hint: 'check the host variables and `op signin`; values are resolved at launch and never stored',
      },
    );
  }
  return out;
}
