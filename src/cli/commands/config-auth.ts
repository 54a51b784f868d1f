import type { Command } from 'commander';
import type { GlobalConfig } from '../../config/config-schema.js';
import type { ConfigStore } from '../../config/config-store.js';
import type { AuthMode } from '../../config/runtimes.js';
import type { Workspace } from '../../config/workspace-schema.js';
import { NotFoundError } from '../../kernel/errors.js';
import { configSession } from '../config-writer.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { renderTable } from '../table.js';

type AuthHolder = Record<string, unknown>;

/**
 * AUTH_MODES of src/config/runtimes.ts, spelled out so that registering the command does not load
 * the config schema (test/cli/lazy-startup.unit.test.ts keeps the two equal).
 */
export const AUTH_MODE_NAMES = ['sync', 'api_key', 'oauth_token', 'ignore'] as const;

/** The runtime is a built-in or declared in config.toml, and allows the mode (src/agents/auth-explain.ts). */
async function checkMode(mode: string, agent: string, files: ConfigStore): Promise<AuthMode> {
  const [{ checkAuthMode }, config] = await Promise.all([
    import('../../agents/auth-explain.js'),
    files.loadConfig(),
  ]);
  return checkAuthMode(mode, agent, config.value);
}

/** Sets `<holder>.<agent>.auth_forward`, returning the previous mode. */
function setMode(holder: AuthHolder, agent: string, mode: AuthMode): string | null {
  const table = (holder[agent] ?? {}) as { auth_forward?: string };
  const previous = table.auth_forward ?? null;
  holder[agent] = { ...table, auth_forward: mode };
  return previous;
}

/** `jackin config auth set|show`: how each runtime's credentials reach an instance, per scope. */
export function registerConfigAuth(config: Command, context: CliContext): void {
  const auth = config
    .command('auth')
    .description('credential forwarding mode per runtime (sync, api_key, oauth_token, ignore)');

  auth
    .command('set')
    .description('set the auth mode of a runtime, globally or for a workspace and/or role')
    .argument('<mode>', AUTH_MODE_NAMES.join('|'))
    .option('--agent <name>', 'runtime', 'claude')
    .option('--workspace <name>', 'only in this workspace')
    .option('--role <role>', 'only for this role')
    .action(async (modeText: string, options: { agent: string; workspace?: string; role?: string }) => {
      const [session, { CONFIG_STREAM, workspaceStream }] = await Promise.all([
        configSession(context),
        import('../../engine/config/record.js'),
      ]);
      const mode = await checkMode(modeText, options.agent, session.files);
      const agent = options.agent;
      const scope = {
        ...(options.workspace ? { workspace: options.workspace } : {}),
        ...(options.role ? { role: options.role } : {}),
      };
      if (options.workspace) {
        const name = options.workspace;
        let previous: string | null = null;
        await session.files.updateWorkspace(
          name,
          (current) => {
            if (!current) throw new NotFoundError(`no workspace named '${name}'`);
            const ws = current as Workspace & AuthHolder;
            if (options.role) {
              const roles = (ws.roles ??= {});
              previous = setMode((roles[options.role] ??= {}), agent, mode);
            } else previous = setMode(ws, agent, mode);
            return { next: ws, result: undefined };
          },
          async () =>
            session.record(workspaceStream(name), [
              { type: 'AuthModeChanged', data: { agent, mode, previous, scope } },
            ]),
        );
      } else {
        let previous: string | null = null;
        await session.files.updateConfig(
          (current) => {
            const cfg = current as GlobalConfig & AuthHolder;
            if (options.role) {
              const roles = (cfg.roles ??= {});
              previous = setMode((roles[options.role] ??= {}), agent, mode);
            } else previous = setMode(cfg, agent, mode);
            return { next: cfg, result: undefined };
          },
          async () =>
            session.record(CONFIG_STREAM, [
              { type: 'AuthModeChanged', data: { agent, mode, previous, scope } },
            ]),
        );
      }
      const where = [
        options.workspace && `workspace ${options.workspace}`,
        options.role && `role ${options.role}`,
      ]
        .filter(Boolean)
        .join(', ');
      writeLine(context.io.stdout, `${agent} auth: ${mode}${where ? ` (${where})` : ' (global)'}`);
    });

  auth
    .command('show')
    .description('the effective auth mode of every runtime and the scope that chose it')
    .option('--workspace <name>', 'as seen from this workspace')
    .option('--role <role>', 'as seen for this role')
    .option('--agent <name>', 'only this runtime (or github)')
    .option(
      '--json',
      'print {"auth":[{"agent","mode","scope","supported","forwards","scopes":[{"scope","mode"}]}]}',
    )
    .action(async (options: { workspace?: string; role?: string; agent?: string; json?: boolean }) => {
      const [{ files }, { explainAuth }] = await Promise.all([
        configSession(context),
        import('../../agents/auth-explain.js'),
      ]);
      const config = (await files.loadConfig()).value;
      const workspace = options.workspace
        ? { name: options.workspace, value: (await files.loadWorkspace(options.workspace)).value }
        : undefined;
      const rows = explainAuth({ config, workspace, role: options.role }, options.agent);
      if (options.agent && rows.length === 0)
        throw new NotFoundError(`unknown runtime '${options.agent}'`, {
          hint: 'jackin config auth show lists every runtime',
        });
      if (options.json) writeJson(context.io.stdout, { auth: rows });
      else
        writeLine(
          context.io.stdout,
          renderTable(
            ['Agent', 'Mode', 'Chosen by', 'Forwards', 'Scopes (most specific first)'],
            rows.map((r) => [
              r.agent,
              r.mode,
              r.scope,
              r.forwards,
              r.scopes.map((s) => `${s.scope}=${s.mode ?? '-'}`).join('  '),
            ]),
          ),
        );
    });
}
