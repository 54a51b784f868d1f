import type { Command } from 'commander';
import type { LaunchRequest } from '../../engine/instances/launch-contract.js';
import { UsageError } from '../../kernel/errors.js';
import { parseLimitFlags } from '../options.js';
import { collect } from '../config-writer.js';
import type { CliContext } from '../context.js';
import { instanceDeps } from '../instance-session.js';
import { writeJson, writeLine } from '../io.js';

interface LoadOptions {
  mount: string[];
  agent?: string;
  workspace?: string;
  memory?: string;
  cpus?: string;
  pids?: string;
  rebuild?: boolean;
  detach?: boolean;
  dryRun?: boolean;
  json?: boolean;
  force?: boolean;
}

/** Flags → a launch request, validating limits at the edge. */
export function launchRequest(
  role: string | undefined,
  target: string | undefined,
  options: LoadOptions,
): LaunchRequest {
  return {
    role,
    target,
    workspace: options.workspace,
    mounts: options.mount,
    agent: options.agent,
    limits: parseLimitFlags(options),
    rebuild: options.rebuild ?? false,
    force: options.force ?? false,
  };
}

/** `jackin load`: launch an instance (network, TLS DinD sidecar, workspace, role container) and attach. */
export function registerLoad(program: Command, context: CliContext): void {
  program
    .command('load')
    .description(
      'launch a role in an isolated instance (private DinD over TLS, only the mounts you give) and attach to its agent',
    )
    .argument(
      '[role]',
      'built-in name, owner/name, git URL or path (default: the workspace default, else agent-smith)',
    )
    .argument(
      '[target]',
      'a path, path:/dst, or a saved workspace name (default: the workspace containing the cwd, else the cwd)',
    )
    .option('--mount <spec>', 'extra SRC[:DST][:ro] (repeatable)', collect, [])
    .option('--agent <name>', 'runtime for the first session')
    .option('--workspace <name>', 'saved workspace')
    .option('--memory <size>', 'memory limit for the role container and its sidecar, e.g. 4g')
    .option('--cpus <n>', 'CPU limit for both containers')
    .option('--pids <n>', 'process limit for both containers')
    .option('--rebuild', 'rebuild the role image and refresh the role repository')
    .option('--detach', 'start it and return its id without attaching')
    .option('--dry-run', 'print the session contract and touch nothing')
    .option(
      '--force',
      'acknowledge a dirty host repository behind a worktree/clone mount, or a sensitive mount',
    )
    .option('--json', 'print {"instance":{...}} (with --dry-run: {"contract":{...}})')
    .action(async (role: string | undefined, target: string | undefined, options: LoadOptions) => {
      const request = launchRequest(role, target, options);
      const [deps, { launchInstance }, { sessionContract }, { findInstance }] = await Promise.all([
        instanceDeps(context, { quiet: options.dryRun === true }),
        import('../../engine/instances/launch.js'),
        import('../../engine/instances/launch-contract.js'),
        import('../../projections/instances.js'),
      ]);
      if (options.dryRun) {
        const { renderContract } = await import('../render/contract.js');
        const contract = await sessionContract(request, deps);
        if (options.json) writeJson(context.io.stdout, { contract });
        else writeLine(context.io.stdout, renderContract(contract));
        return;
      }
      if (!options.detach && !deps.terminal.interactive) {
        throw new UsageError('jackin load attaches to the agent and needs an interactive terminal', {
          hint: 'use --detach to start it in the background, then `jackin hardline <id>` from a terminal',
        });
      }
      const launched = await launchInstance(request, deps);
      if (options.detach) {
        const row = findInstance(deps.db, launched.id)[0];
        if (options.json) {
          writeJson(context.io.stdout, {
            instance: {
              id: launched.id,
              name: launched.name,
              state: row?.state ?? 'running',
              role: launched.role,
              workspace: launched.workspace,
              runtime: launched.agent,
              container_id: launched.containerId,
              sidecar: launched.sidecar,
              network: launched.network,
              sidecar_ready_ms: launched.sidecarReadyMs,
              elapsed_ms: launched.elapsedMs,
            },
          });
        } else writeLine(context.io.stdout, launched.id);
        return;
      }
      const row = findInstance(deps.db, launched.id)[0];
      if (!row) return;
      const { attachInstance } = await import('../../engine/instances/attach.js');
      const outcome = await attachInstance(deps, row, { kind: 'attach' });
      writeLine(
        context.io.stderr,
        `${outcome.name}: ${outcome.after}${outcome.after === 'detached' ? ` — \`jackin hardline ${outcome.id}\` to return` : ''}`,
      );
    });
}
