import type { Command } from 'commander';
import type { DockerFacts } from '../../engine/contract/session-contract.js';
import { collect, configSession } from '../config-writer.js';
import type { CliContext } from '../context.js';
import { parseLimitFlags } from '../options.js';
import { writeJson, writeLine } from '../io.js';

interface ExplainOptions {
  mount: string[];
  agent?: string;
  workspace?: string;
  memory?: string;
  cpus?: string;
  pids?: string;
  json?: boolean;
  instance?: string;
}

/** `jackin explain`: the session contract a `load` with the same arguments would run under. */
export function registerExplain(program: Command, context: CliContext, docker?: DockerFacts): void {
  program
    .command('explain')
    .description(
      'show the session contract before launch: mounts, credentials, env names, network, Docker access, limits, what persists',
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
    .option('--agent <name>', 'runtime')
    .option('--workspace <name>', 'saved workspace')
    .option('--memory <size>', 'memory limit, e.g. 4g')
    .option('--cpus <n>', 'CPU limit')
    .option('--pids <n>', 'process limit')
    .option('--json', 'print {"contract":{...}}')
    .option('--instance <id>', 'show the contract recorded when that instance was launched')
    .action(async (role: string | undefined, target: string | undefined, options: ExplainOptions) => {
      const [session, app, { renderContract }] = await Promise.all([
        configSession(context),
        context.app(),
        import('../render/contract.js'),
      ]);
      if (options.instance) {
        const { recordedContract } = await import('../recorded-contract.js');
        const contract = await recordedContract(app, options.instance);
        if (options.json) writeJson(context.io.stdout, { contract });
        else writeLine(context.io.stdout, renderContract(contract));
        return;
      }
      const limits = parseLimitFlags(options);
      const [{ buildSessionContract }, { dockerFacts }] = await Promise.all([
        import('../../engine/contract/session-contract.js'),
        import('../../app/docker-facts.js'),
      ]);
      const contract = await buildSessionContract(
        {
          role,
          target,
          workspace: options.workspace,
          mounts: options.mount,
          agent: options.agent,
          limits,
        },
        {
          files: session.files,
          jackinHome: app.paths.home,
          rolesDir: app.paths.roles,
          env: context.io.env,
          cwd: session.paths.cwd,
          home: session.paths.home,
          docker: docker ?? dockerFacts(app),
        },
      );
      if (options.json) writeJson(context.io.stdout, { contract });
      else writeLine(context.io.stdout, renderContract(contract));
    });
}
