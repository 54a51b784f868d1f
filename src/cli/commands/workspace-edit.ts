import type { Command } from 'commander';
import { workspaceStream } from '../../engine/config/record.js';
import { planMounts } from '../../workspaces/mount-plan.js';
import { confirmSensitiveMounts, terminalConfirm } from '../confirm.js';
import { collect, configSession } from '../config-writer.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';

interface EditOptions {
  workdir?: string;
  mount: string[];
  removeDestination: string[];
  workdirMount?: boolean;
  allowedRole: string[];
  removeAllowedRole: string[];
  defaultRole?: string;
  clearDefaultRole?: boolean;
  defaultAgent?: string;
  clearDefaultAgent?: boolean;
  mountIsolation: string[];
  keepAwake?: boolean;
  gitPull?: boolean;
  prune?: boolean;
  yes?: boolean;
  json?: boolean;
}

export function registerWorkspaceEdit(workspace: Command, context: CliContext): void {
  workspace
    .command('edit')
    .description('change a saved workspace; the change is recorded with a structured diff')
    .argument('<name>', 'workspace name')
    .option('--workdir <path>', 'new container workdir')
    .option(
      '--mount <spec>',
      'add or replace (by destination) a mount SRC[:DST][:ro] (repeatable)',
      collect,
      [],
    )
    .option('--remove-destination <dst>', 'drop the mount at this container path (repeatable)', collect, [])
    .option('--no-workdir-mount', 'drop the mount whose source and destination are the workdir')
    .option('--allowed-role <role>', 'allow a role (repeatable)', collect, [])
    .option('--remove-allowed-role <role>', 'disallow a role (repeatable)', collect, [])
    .option('--default-role <role>', 'set the default role')
    .option('--clear-default-role', 'unset the default role')
    .option('--default-agent <agent>', 'set the default runtime')
    .option('--clear-default-agent', 'unset the default runtime')
    .option(
      '--mount-isolation <dst=mode>',
      'shared|worktree|clone for a destination (repeatable)',
      collect,
      [],
    )
    .option('--keep-awake', 'keep the host awake while an instance runs')
    .option('--no-keep-awake', 'stop keeping the host awake')
    .option('--git-pull', 'git pull mounted repos on entry')
    .option('--no-git-pull', 'do not git pull on entry')
    .option('--prune', 'drop mounts already covered by another mount')
    .option('-y, --yes', 'confirm sensitive mounts')
    .option('--json', 'print {"workspace":{...},"changes":[...]}')
    .action(async (name: string, options: EditOptions) => {
      const [session, { diffTables }, { applyWorkspaceEdits }, { workspaceMountRequests, workspaceToJson }] =
        await Promise.all([
          configSession(context),
          import('../../config/safe-view.js'),
          import('../../workspaces/workspace-edit.js'),
          import('../../workspaces/workspace-view.js'),
        ]);
      const confirm = terminalConfirm(context.io);
      const changes = await session.files.updateWorkspace(
        name,
        async (current) => {
          if (!current) return { next: (await session.files.loadWorkspace(name)).value, result: [] };
          const { workspace } = applyWorkspaceEdits(
            current,
            {
              workdir: options.workdir,
              mounts: options.mount,
              removeDestinations: options.removeDestination,
              noWorkdirMount: options.workdirMount === false,
              allowedRoles: options.allowedRole,
              removeAllowedRoles: options.removeAllowedRole,
              defaultRole: options.clearDefaultRole ? null : options.defaultRole,
              defaultAgent: options.clearDefaultAgent ? null : options.defaultAgent,
              isolation: options.mountIsolation,
              keepAwake: options.keepAwake,
              gitPull: options.gitPull,
              prune: options.prune ?? false,
            },
            session.paths,
          );
          const planned = await planMounts(workspaceMountRequests(workspace), session.paths.home);
          const fresh = planned.filter(
            (p) => !current.mounts.some((m) => m.src === p.configuredSrc && m.dst === p.dst),
          );
          await confirmSensitiveMounts(fresh, { yes: options.yes ?? false, confirm, io: context.io });
          return { next: workspace, result: diffTables(current, workspace) };
        },
        async ({ before, after }) => {
          const diff = diffTables(before, after);
          if (diff.length > 0)
            await session.record(workspaceStream(name), [
              { type: 'WorkspaceChanged', data: { workspace: name, changes: diff } },
            ]);
        },
      );
      if (options.json) {
        const ws = (await session.files.loadWorkspace(name)).value;
        writeJson(context.io.stdout, { workspace: workspaceToJson(name, ws), changes });
        return;
      }
      if (changes.length === 0) writeLine(context.io.stdout, `workspace ${name}: no changes`);
      for (const c of changes)
        writeLine(
          context.io.stdout,
          `${c.op.padEnd(7)} ${c.path}${c.after !== undefined ? ` = ${JSON.stringify(c.after)}` : ''}`,
        );
    });
}
