import type { Command } from 'commander';
import { configSession } from '../config-writer.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { renderTable } from '../table.js';

export function registerWorkspaceShow(workspace: Command, context: CliContext): void {
  workspace
    .command('show')
    .description('show one workspace: workdir, mounts, roles, env names')
    .argument('<name>', 'workspace name')
    .option('--json', 'print {"workspace":{...}}')
    .action(async (name: string, options: { json?: boolean }) => {
      const [{ files }, { describeSource, envSource }, { workspaceToJson }] = await Promise.all([
        configSession(context),
        import('../../config/env-value.js'),
        import('../../workspaces/workspace-view.js'),
      ]);
      const { value: ws, path } = await files.loadWorkspace(name);
      if (options.json) {
        writeJson(context.io.stdout, { workspace: { ...workspaceToJson(name, ws), file: path } });
        return;
      }
      const out = context.io.stdout;
      writeLine(out, `Workspace:      ${name}`);
      writeLine(out, `File:           ${path}`);
      writeLine(out, `Workdir:        ${ws.workdir}`);
      writeLine(out, `Allowed roles:  ${ws.allowed_roles.length ? ws.allowed_roles.join(', ') : 'any'}`);
      if (ws.default_role) writeLine(out, `Default role:   ${ws.default_role}`);
      if (ws.default_agent) writeLine(out, `Default agent:  ${ws.default_agent}`);
      if (ws.keep_awake?.enabled) writeLine(out, 'Keep Awake:     enabled (macOS only)');
      if (ws.git_pull_on_entry) writeLine(out, 'Git Pull:       on entry');
      writeLine(out);
      writeLine(
        out,
        renderTable(
          ['Source', 'Destination', 'Access', 'Isolation'],
          ws.mounts.map((m) => [m.src, m.dst, m.readonly ? 'ro' : 'rw', m.isolation]),
        ),
      );
      const env = Object.entries(ws.env ?? {});
      if (env.length > 0) {
        writeLine(out);
        writeLine(
          out,
          renderTable(
            ['Env', 'Source'],
            env.map(([k, v]) => [k, describeSource(envSource(v))]),
          ),
        );
      }
    });
}
