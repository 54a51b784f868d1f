import type { Command } from 'commander';
import { isJackinError } from '../../kernel/errors.js';
import { configSession } from '../config-writer.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { renderTable } from '../table.js';

interface WorkspaceRow {
  name: string;
  workdir: string | null;
  mounts: number;
  default_role: string | null;
  allowed_roles: string[];
  error: string | null;
}

export function registerWorkspaceList(workspace: Command, context: CliContext): void {
  workspace
    .command('list')
    .description('list saved workspaces')
    .option('--json', 'print {"workspaces":[...]}')
    .action(async (options: { json?: boolean }) => {
      const { files } = await configSession(context);
      const rows: WorkspaceRow[] = [];
      for (const name of await files.listWorkspaceNames()) {
        try {
          const ws = (await files.loadWorkspace(name)).value;
          rows.push({
            name,
            workdir: ws.workdir,
            mounts: ws.mounts.length,
            default_role: ws.default_role ?? null,
            allowed_roles: ws.allowed_roles,
            error: null,
          });
        } catch (error) {
          if (!isJackinError(error)) throw error;
          // one broken file must not hide the others; it is listed with its problem
          rows.push({
            name,
            workdir: null,
            mounts: 0,
            default_role: null,
            allowed_roles: [],
            error: error.message,
          });
        }
      }
      if (options.json) {
        writeJson(context.io.stdout, { workspaces: rows });
        return;
      }
      if (rows.length === 0) {
        writeLine(
          context.io.stdout,
          'No workspaces. Create one with `jackin workspace create NAME --workdir PATH`.',
        );
        return;
      }
      writeLine(
        context.io.stdout,
        renderTable(
          ['Name', 'Workdir', 'Mounts', 'Default role'],
          rows.map((r) => [
            r.name,
            r.error ? `invalid: ${r.error}` : (r.workdir ?? ''),
            String(r.mounts),
            r.default_role ?? '-',
          ]),
        ),
      );
    });
}
