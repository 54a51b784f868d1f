import type { Clock } from '../../kernel/clock.js';
import { runChecks } from './check.js';
import type { CheckResult, DoctorCheck } from './check.js';
import { clockCheck } from './clock-check.js';
import { diskCheck } from './disk-check.js';
import type { DiskThresholds, FreeBytes } from './disk-check.js';
import { dockerCheck } from './docker-check.js';
import type { DockerProbe } from './docker-probe.js';
import { writableDirectoryCheck } from './directory-check.js';
import { logIntegrityCheck } from './log-check.js';
import type { LogInspection } from './log-check.js';

export interface DoctorDeps {
  readonly stateDir: string;
  readonly configDir: string;
  readonly clock: Clock;
  readonly docker: DockerProbe;
  /** Opens the event log and inspects it (see inspectEventLog). */
  readonly inspectLog: () => Promise<LogInspection>;
  readonly freeBytes?: FreeBytes;
  readonly diskThresholds?: DiskThresholds;
  /** Checks contributed by other parts (runtime, images), appended after the built-in ones. */
  readonly extraChecks?: readonly DoctorCheck[];
}

export interface DoctorReport {
  readonly ok: boolean;
  readonly dockerReachable: boolean;
  readonly checks: readonly CheckResult[];
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= load());
}

/** Runs every check; the report is ok when none failed (warnings are ok). */
export async function runDoctor(deps: DoctorDeps): Promise<DoctorReport> {
  const describeDocker = once(() => deps.docker.describe());
  const inspectLog = once(deps.inspectLog);
  const checks: DoctorCheck[] = [
    dockerCheck(describeDocker),
    writableDirectoryCheck('state dir', deps.stateDir),
    writableDirectoryCheck('config dir', deps.configDir),
    diskCheck(deps.stateDir, deps.diskThresholds, deps.freeBytes),
    logIntegrityCheck(inspectLog),
    clockCheck({
      clock: deps.clock,
      dockerTime: async () => (await describeDocker()).systemTime,
      latestEvent: async () => (await inspectLog()).latestRecordedAt,
    }),
    ...(deps.extraChecks ?? []),
  ];
  const results = await runChecks(checks);
  return {
    ok: results.every((result) => result.status !== 'fail'),
    dockerReachable: results.find((result) => result.name === 'docker')?.status !== 'fail',
    checks: results,
  };
}
