import { renderTable } from '../table.js';

type Json = Record<string, unknown>;

const text = (value: unknown): string =>
  value === null || value === undefined ? '-' : typeof value === 'string' ? value : JSON.stringify(value);

/** The human form of a session contract: one section per concern, tables where rows repeat. */
export function renderContract(contract: Json): string {
  const role = contract.role as Json;
  const ws = contract.workspace as Json;
  const creds = contract.credentials as Json;
  const docker = contract.docker as Json;
  const limits = contract.limits as Json;
  const out: string[] = [];
  out.push(`Role:        ${text(role.key)} (${text(role.kind)}: ${text(role.source)})`);
  out.push(`  commit:    ${text(role.commit)}${role.cached ? '' : ' (not cached)'}`);
  out.push(
    `  trusted:   ${role.trusted ? 'yes' : 'no — a launch asks first'}${role.trusted_commit ? ` (at ${text(role.trusted_commit)})` : ''}`,
  );
  for (const p of role.problems as string[]) out.push(`  problem:   ${p}`);
  out.push(`Workspace:   ${text(ws.label)}  workdir ${text(ws.workdir)}`);
  out.push(`Agent:       ${text(contract.agent)}`);
  out.push(`Image:       FROM ${text((contract.image as Json).construct)} + host user, runtime, entrypoint`);
  out.push('', 'Mounts:');
  const mounts = contract.mounts as Json[];
  out.push(
    renderTable(
      ['Host', 'Container', 'Access', 'Isolation', 'From', 'Sensitive'],
      mounts.map((m) => [
        text(m.host),
        text(m.container),
        text(m.access),
        text(m.isolation),
        text(m.origin),
        text(m.sensitive),
      ]),
    ),
  );
  const env = contract.env as Json[];
  out.push('', 'Env (names and sources, never values):');
  out.push(
    env.length
      ? renderTable(
          ['Name', 'Source', 'Scope'],
          env.map((e) => [text(e.name), text(e.source), text(e.scope)]),
        )
      : '  none',
  );
  out.push(
    '',
    `Credentials: ${text(creds.agent)} mode ${text(creds.mode)} (chosen by ${text(creds.chosenBy)})`,
  );
  for (const f of creds.forwards as Json[])
    out.push(
      `  ${f.kind === 'file' ? 'file' : 'env '} ${text(f.name)} ← ${text(f.source)}${f.present ? '' : ' (missing)'}`,
    );
  if (creds.problem) out.push(`  problem: ${text(creds.problem)}`);
  out.push('', `Network:     ${text((contract.network as Json).kind)}, no host network, no published ports`);
  out.push(
    `Docker:      private daemon over ${text(docker.transport)}; host socket never mounted; sidecar ${text(docker.sidecar_mode)}`,
  );
  out.push(
    `Limits:      memory ${text((limits.memory as Json | null)?.value)}  cpus ${text((limits.cpus as Json | null)?.value)}  pids ${text((limits.pids as Json | null)?.value)}`,
  );
  out.push('', 'Persists:');
  for (const p of contract.persists as Json[]) out.push(`  ${text(p.path)} — ${text(p.what)}`);
  out.push('', 'Host-side effects:');
  for (const e of contract.host_effects as string[]) out.push(`  ${e}`);
  const fails = contract.launch_would_fail as string[];
  if (fails.length) out.push('', `A launch would stop: ${fails.join('; ')}`);
  const recover = contract.recover as Json;
  out.push('', `Recover:     ${Object.values(recover).map(text).join(' · ')}`);
  return out.join('\n');
}
