import type { Clock } from '../../kernel/clock.js';
import type { EngineInfo } from '../../runtime/port.js';
import { runChecks } from './check.js';
import type { CheckResult, DoctorCheck } from './check.js';
import { clockCheck } from './clock-check.js';
import { dindModeCheck } from './dind-check.js';
import type { DindModeReport } from './dind-check.js';
import { diskCheck } from './disk-check.js';
import type { DiskThresholds, FreeBytes } from './disk-check.js';
import { dockerCheck, dockerCliCheck } from './docker-check.js';
import type { DockerCli } from './docker-cli.js';
import { writableDirectoryCheck } from './directory-check.js';
import { imagesCheck } from './images-check.js';
import type { LocalImage } from './images-check.js';
import { logIntegrityCheck } from './log-check.js';
import { reconcilerCheck } from './reconcile-check.js';
import type { ReconcileFindings } from './reconcile-check.js';
import type { LogInspection } from './log-check.js';

export interface DoctorDeps {
  readonly stateDir: string;
  readonly configDir: string;
  readonly clock: Clock;
  /** The engine as the runtime port reaches it; rejects when unreachable. */
  readonly engineInfo: () => Promise<EngineInfo>;
  readonly dockerCli: DockerCli;
  /** Opens the event log and inspects it (see inspectEventLog). */
  readonly inspectLog: () => Promise<LogInspection>;
  /** Privileged-mode detection; resolves undefined when there is nothing to probe with. */
  readonly dindMode: () => Promise<DindModeReport | undefined>;
  /** Local jackin images, found by label. */
  readonly images: () => Promise<readonly LocalImage[]>;
  /** The reconciler's dry run: what it would record or remove now (nothing is changed). */
  readonly reconcile: () => Promise<ReconcileFindings>;
  readonly freeBytes?: FreeBytes;
  readonly diskThresholds?: DiskThresholds;
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
  const engineInfo = once(deps.engineInfo);
  const inspectLog = once(deps.inspectLog);
  const engineReachable = (): Promise<boolean> =>
    engineInfo().then(
      () => true,
      () => false,
    );
  const checks: DoctorCheck[] = [
    dockerCheck(engineInfo),
    dockerCliCheck(deps.dockerCli),
    imagesCheck(engineReachable, deps.images),
    dindModeCheck(engineReachable, deps.dindMode),
    writableDirectoryCheck('state dir', deps.stateDir),
    writableDirectoryCheck('config dir', deps.configDir),
    diskCheck(deps.stateDir, deps.diskThresholds, deps.freeBytes),
    logIntegrityCheck(inspectLog),
    clockCheck({
      clock: deps.clock,
      dockerTime: async () => ((await engineReachable()) ? deps.dockerCli.daemonTime() : undefined),
      latestEvent: async () => (await inspectLog()).latestRecordedAt,
    }),
    reconcilerCheck(engineReachable, deps.reconcile),
  ];
  const results = await runChecks(checks);
  return {
    ok: results.every((result) => result.status !== 'fail'),
    dockerReachable: results.find((result) => result.name === 'docker')?.status !== 'fail',
    checks: results,
  };
}
