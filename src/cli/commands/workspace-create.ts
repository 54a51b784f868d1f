import type { Command } from 'commander';
import { workspaceStream } from '../../engine/config/record.js';
import { JackinError } from '../../kernel/errors.js';
import { planMounts } from '../../workspaces/mount-plan.js';
import { confirmSensitiveMounts, terminalConfirm } from '../confirm.js';
import { collect, configSession } from '../config-writer.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';

interface CreateOptions {
  workdir: string;
  mount: string[];
  allowedRole: string[];
  defaultRole?: string;
  defaultAgent?: string;
  mountIsolation: string[];
  keepAwake?: boolean;
  gitPull?: boolean;
  yes?: boolean;
  json?: boolean;
}

export function registerWorkspaceCreate(workspace: Command, context: CliContext): void {
  workspace
    .command('create')
    .description('save a named mount layout and workdir as workspaces/<name>.toml')
    .argument('<name>', 'workspace name')
    .requiredOption('--workdir <path>', 'where sessions start inside the container')
    .option(
      '--mount <spec>',
      'SRC[:DST][:ro] (repeatable; default: the workdir at the same path)',
      collect,
      [],
    )
    .option('--allowed-role <role>', 'only these roles may use it (repeatable)', collect, [])
    .option('--default-role <role>', 'role used when none is given')
    .option('--default-agent <agent>', 'runtime used when none is given')
    .option(
      '--mount-isolation <dst=mode>',
      'shared|worktree|clone for a mount destination (repeatable)',
      collect,
      [],
    )
    .option('--keep-awake', 'keep the host awake while an instance runs (macOS)')
    .option('--git-pull', 'git pull each mounted repo on entry')
    .option('-y, --yes', 'confirm sensitive mounts')
    .option('--json', 'print {"workspace":{...}}')
    .action(async (name: string, options: CreateOptions) => {
      const [session, { applyWorkspaceEdits, newWorkspace }, { workspaceMountRequests, workspaceToJson }] =
        await Promise.all([
          configSession(context),
          import('../../workspaces/workspace-edit.js'),
          import('../../workspaces/workspace-view.js'),
        ]);
      const { workspace, collapsed } = applyWorkspaceEdits(
        newWorkspace(options.workdir, session.paths),
        {
          mounts: options.mount,
          allowedRoles: options.allowedRole,
          defaultRole: options.defaultRole,
          defaultAgent: options.defaultAgent,
          isolation: options.mountIsolation,
          keepAwake: options.keepAwake,
          gitPull: options.gitPull,
        },
        session.paths,
      );
      const planned = await planMounts(workspaceMountRequests(workspace), session.paths.home);
      await confirmSensitiveMounts(planned, {
        yes: options.yes ?? false,
        confirm: terminalConfirm(context.io),
        io: context.io,
      });
      await session.files.updateWorkspace(
        name,
        (current) => {
          if (current)
            throw new JackinError('name_taken', `workspace '${name}' already exists`, {
              hint: `use \`jackin workspace edit ${name}\``,
            });
          return { next: workspace, result: undefined };
        },
        async () =>
          session.record(workspaceStream(name), [
            {
              type: 'WorkspaceCreated',
              data: {
                workspace: name,
                workdir: workspace.workdir,
                mounts: workspace.mounts,
                allowedRoles: workspace.allowed_roles,
                ...(workspace.default_role ? { defaultRole: workspace.default_role } : {}),
                ...(workspace.default_agent ? { defaultAgent: workspace.default_agent } : {}),
              },
            },
          ]),
      );
      if (options.json) {
        writeJson(context.io.stdout, { workspace: workspaceToJson(name, workspace) });
        return;
      }
      for (const m of collapsed)
        writeLine(context.io.stderr, `collapsed redundant mount ${m.src} → ${m.dst}`);
      writeLine(
        context.io.stdout,
        `created workspace ${name} (${workspace.mounts.length} mount${workspace.mounts.length === 1 ? '' : 's'}, workdir ${workspace.workdir})`,
      );
    });
}
