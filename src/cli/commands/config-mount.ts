import type { Command } from 'commander';
import type { GlobalConfig, GlobalMount } from '../../config/config-schema.js';
import { JackinError, NotFoundError } from '../../kernel/errors.js';
import { confirmSensitiveMounts, terminalConfirm } from '../confirm.js';
import { configSession } from '../config-writer.js';
import type { ConfigSession } from '../config-writer.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { renderTable } from '../table.js';

type MountTable = Record<string, GlobalMount | Record<string, GlobalMount>>;

function recordDiff(session: ConfigSession) {
  return async ({
    before,
    after,
  }: {
    before: GlobalConfig | undefined;
    after: GlobalConfig | undefined;
  }): Promise<void> => {
    const [{ diffTables }, { CONFIG_STREAM }] = await Promise.all([
      import('../../config/safe-view.js'),
      import('../../engine/config/record.js'),
    ]);
    const changes = diffTables(before, after);
    if (changes.length > 0)
      await session.record(CONFIG_STREAM, [{ type: 'ConfigChanged', data: { changes } }]);
  };
}

/** `jackin config mount add|remove|list`: mounts every instance gets, optionally scoped by role glob. */
export function registerConfigMount(config: Command, context: CliContext): void {
  const mount = config.command('mount').description('global mounts (optionally scoped to roles by glob)');

  mount
    .command('add')
    .description('add or replace a named global mount')
    .argument('<name>', 'mount name')
    .requiredOption('--src <path>', 'host path')
    .requiredOption('--dst <path>', 'absolute container path')
    .option('--readonly', 'mount read-only')
    .option('--scope <glob>', 'only for roles matching this glob, e.g. acme/*')
    .option('-y, --yes', 'confirm a sensitive mount')
    .action(
      async (
        name: string,
        options: { src: string; dst: string; readonly?: boolean; scope?: string; yes?: boolean },
      ) => {
        const [session, { listGlobalMounts }, { planMounts }, { checkContainerPath, expandHostPath }] =
          await Promise.all([
            configSession(context),
            import('../../config/config-schema.js'),
            import('../../workspaces/mount-plan.js'),
            import('../../workspaces/mount-spec.js'),
          ]);
        const entry: GlobalMount = {
          src: expandHostPath(options.src, session.paths),
          dst: checkContainerPath(options.dst, `--dst ${options.dst}`),
          readonly: options.readonly ?? false,
        };
        const planned = await planMounts(
          [{ ...entry, isolation: 'shared', origin: `global:${name}` }],
          session.paths.home,
        );
        await confirmSensitiveMounts(planned, {
          yes: options.yes ?? false,
          confirm: terminalConfirm(context.io),
          io: context.io,
        });
        await session.files.updateConfig((current) => {
          const docker = (current.docker ??= {});
          const table = (docker.mounts ??= {}) as MountTable;
          const clash = listGlobalMounts(current).find(
            (m) => m.mount.dst === entry.dst && !(m.name === name && m.scope === options.scope),
          );
          if (clash) {
            throw new JackinError(
              'invalid_input',
              `destination '${entry.dst}' is already used by global mount '${clash.name}'`,
              {
                hint: 'each container path may be mounted once',
              },
            );
          }
          if (options.scope === undefined) {
            if (table[name] && !('src' in table[name]))
              throw new JackinError('name_taken', `'${name}' is a mount scope, not a mount name`);
            table[name] = entry;
          } else {
            const scoped = table[options.scope];
            if (scoped && 'src' in scoped)
              throw new JackinError('name_taken', `'${options.scope}' is already a mount name`);
            table[options.scope] = {
              ...(scoped ?? {}),
              [name]: entry,
            };
          }
          return { next: current, result: undefined };
        }, recordDiff(session));
        writeLine(
          context.io.stdout,
          `mount ${name}: ${entry.src} → ${entry.dst}${entry.readonly ? ' (ro)' : ''}${options.scope ? ` for ${options.scope}` : ''}`,
        );
      },
    );

  mount
    .command('remove')
    .description('remove a named global mount')
    .argument('<name>')
    .option('--scope <glob>', 'the scope it was added under')
    .action(async (name: string, options: { scope?: string }) => {
      const session = await configSession(context);
      await session.files.updateConfig((current) => {
        const table = (current.docker?.mounts ?? {}) as MountTable;
        const holder =
          options.scope === undefined
            ? table
            : (table[options.scope] as Record<string, GlobalMount> | undefined);
        const found = holder?.[name];
        if (!holder || !found || !('src' in found)) {
          throw new NotFoundError(
            `no global mount '${name}'${options.scope ? ` in scope ${options.scope}` : ''}`,
            { hint: 'see `jackin config mount list`' },
          );
        }
        delete holder[name];
        if (options.scope !== undefined && Object.keys(holder).length === 0) delete table[options.scope];
        if (current.docker && Object.keys(table).length === 0) delete current.docker.mounts;
        if (current.docker && Object.keys(current.docker).length === 0) delete current.docker;
        return { next: current, result: undefined };
      }, recordDiff(session));
      writeLine(context.io.stdout, `removed mount ${name}`);
    });

  mount
    .command('list')
    .description('list global mounts')
    .option('--json', 'print {"mounts":[...]}')
    .action(async (options: { json?: boolean }) => {
      const [{ files }, { listGlobalMounts }] = await Promise.all([
        configSession(context),
        import('../../config/config-schema.js'),
      ]);
      const mounts = listGlobalMounts((await files.loadConfig()).value).map((m) => ({
        name: m.name,
        src: m.mount.src,
        dst: m.mount.dst,
        readonly: m.mount.readonly,
        scope: m.scope ?? null,
      }));
      if (options.json) {
        writeJson(context.io.stdout, { mounts });
        return;
      }
      if (mounts.length === 0) writeLine(context.io.stdout, 'No global mounts.');
      else
        writeLine(
          context.io.stdout,
          renderTable(
            ['Name', 'Source', 'Destination', 'Access', 'Scope'],
            mounts.map((m) => [m.name, m.src, m.dst, m.readonly ? 'ro' : 'rw', m.scope ?? '*']),
          ),
        );
    });
}

export { recordDiff as recordConfigDiff };
