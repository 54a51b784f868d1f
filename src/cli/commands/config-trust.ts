import type { Command } from 'commander';
import { JackinError } from '../../kernel/errors.js';
import { configSession } from '../config-writer.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { renderTable } from '../table.js';

/** `jackin config trust grant|revoke|list`: which third-party role sources may build on this host. */
export function registerConfigTrust(config: Command, context: CliContext): void {
  const trust = config
    .command('trust')
    .description('trusted role sources (trust on first use, or granted ahead for CI)');

  trust
    .command('grant')
    .description('trust a role source (owner/name or git URL)')
    .argument('<selector>')
    .action(async (selector: string) => {
      const [session, app, { grantTrust }, { cachedCommit }, { parseRoleSelector }] = await Promise.all([
        configSession(context),
        context.app(),
        import('../../engine/config/trust.js'),
        import('../../roles/role-cache.js'),
        import('../../roles/selector.js'),
      ]);
      const config = (await session.files.loadConfig()).value;
      const source = parseRoleSelector(selector, {
        config,
        cwd: session.paths.cwd,
        home: session.paths.home,
      });
      if (source.kind !== 'git') {
        writeLine(
          context.io.stdout,
          `${source.key} is ${source.kind === 'builtin' ? 'a built-in role' : 'a local folder'} and always trusted`,
        );
        return;
      }
      const cached = await cachedCommit(source.key, app.paths.roles, app.env);
      await grantTrust(
        session.files,
        async () => (await app.eventLog()).store,
        { key: source.key, url: source.url, commit: cached?.commit ?? null },
        'command',
      );
      writeLine(
        context.io.stdout,
        `trusted ${source.key} (${source.url})${cached ? ` at ${cached.commit.slice(0, 12)}` : ''}`,
      );
    });

  trust
    .command('revoke')
    .description('stop trusting a role source')
    .argument('<selector>')
    .action(async (selector: string) => {
      const [session, app, { revokeTrust }, { parseRoleSelector }] = await Promise.all([
        configSession(context),
        context.app(),
        import('../../engine/config/trust.js'),
        import('../../roles/selector.js'),
      ]);
      const config = (await session.files.loadConfig()).value;
      const source = parseRoleSelector(selector, {
        config,
        cwd: session.paths.cwd,
        home: session.paths.home,
      });
      if (source.kind === 'builtin')
        throw new JackinError(
          'invalid_input',
          `${source.key} is a built-in role; its trust cannot be revoked`,
        );
      if (source.kind === 'local')
        throw new JackinError('invalid_input', `${selector} is a local folder; there is no trust to revoke`);
      if (config.roles?.[source.key]?.trusted !== true) {
        writeLine(context.io.stdout, `${source.key} was not trusted.`);
        return;
      }
      await revokeTrust(session.files, async () => (await app.eventLog()).store, source.key);
      writeLine(context.io.stdout, `revoked trust in ${source.key}`);
    });

  trust
    .command('list')
    .description('list role sources and whether they are trusted')
    .option('--json', 'print {"roles":[{"role","source","trusted","commit","builtin"}]}')
    .action(async (options: { json?: boolean }) => {
      const [{ files }, { BUILTIN_ROLES }] = await Promise.all([
        configSession(context),
        import('../../roles/builtin.js'),
      ]);
      const config = (await files.loadConfig()).value;
      const roles = [
        ...BUILTIN_ROLES.map((role) => ({
          role,
          source: 'built-in',
          trusted: true,
          commit: null as string | null,
          builtin: true,
        })),
        ...Object.entries(config.roles ?? {}).map(([role, entry]) => ({
          role,
          source: entry.git ?? null,
          trusted: entry.trusted === true,
          commit: entry.trusted_commit ?? null,
          builtin: false,
        })),
      ];
      if (options.json) {
        writeJson(context.io.stdout, { roles });
        return;
      }
      writeLine(
        context.io.stdout,
        renderTable(
          ['Role', 'Source', 'Trusted', 'Commit'],
          roles.map((r) => [
            r.role,
            r.source ?? '-',
            r.trusted ? 'yes' : 'no',
            r.commit?.slice(0, 12) ?? '-',
          ]),
        ),
      );
    });
}
