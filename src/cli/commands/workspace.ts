import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerWorkspaceCreate } from './workspace-create.js';
import { registerWorkspaceEdit } from './workspace-edit.js';
import { registerWorkspaceEnv } from './workspace-env.js';
import { registerWorkspaceList } from './workspace-list.js';
import { registerWorkspacePrune } from './workspace-prune.js';
import { registerWorkspaceRemove } from './workspace-remove.js';
import { registerWorkspaceShow } from './workspace-show.js';

/** `jackin workspace …`: named mount layouts as files under the config dir. */
export function registerWorkspace(program: Command, context: CliContext): void {
  const workspace = program
    .command('workspace')
    .description('saved workspaces: mount layouts and workdirs, as files');
  registerWorkspaceCreate(workspace, context);
  registerWorkspaceEdit(workspace, context);
  registerWorkspaceShow(workspace, context);
  registerWorkspaceList(workspace, context);
  registerWorkspaceRemove(workspace, context);
  registerWorkspacePrune(workspace, context);
  registerWorkspaceEnv(workspace, context);
}
