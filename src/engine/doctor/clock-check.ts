import type { Clock } from '../../kernel/clock.js';
import type { DoctorCheck } from './check.js';

/** Earliest plausible wall-clock time: a host reading earlier than this has an unset clock. */
export const EARLIEST_SANE_TIME = new Date('2025-01-01T00:00:00Z');
/** Beyond this skew the DinD sidecar's fresh TLS certificates can look "not yet valid" to the host. */
const DOCKER_SKEW_FAIL_MS = 5 * 60_000;
const DOCKER_SKEW_WARN_MS = 5_000;
/** Log entries this far in the future mean the clock went backwards since they were written. */
const LOG_AHEAD_WARN_MS = 60_000;

export interface ClockInputs {
  readonly clock: Clock;
  /** The Docker daemon's clock, when it could be read. */
  readonly dockerTime: () => Promise<Date | undefined>;
  /** recorded_at of the newest event, when the log could be read. */
  readonly latestEvent: () => Promise<Date | undefined>;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Clock sanity: set at all, agreeing with the Docker daemon, and not behind the event log. */
export function clockCheck(inputs: ClockInputs): DoctorCheck {
  return {
    name: 'clock',
    async run() {
      const now = inputs.clock.now();
      if (now < EARLIEST_SANE_TIME) {
        return { status: 'fail', detail: `host clock reads ${now.toISOString()}; it is not set` };
      }
      const problems: { status: 'warn' | 'fail'; text: string }[] = [];
      const dockerTime = await inputs.dockerTime().catch(() => undefined);
      if (dockerTime) {
        const skew = Math.abs(dockerTime.getTime() - now.getTime());
        if (skew > DOCKER_SKEW_FAIL_MS)
          problems.push({ status: 'fail', text: `Docker's clock is ${seconds(skew)} off` });
        else if (skew > DOCKER_SKEW_WARN_MS)
          problems.push({ status: 'warn', text: `Docker's clock is ${seconds(skew)} off` });
      }
      const latest = await inputs.latestEvent().catch(() => undefined);
      if (latest && latest.getTime() - now.getTime() > LOG_AHEAD_WARN_MS) {
        problems.push({
          status: 'warn',
          text: `the newest event is ${seconds(latest.getTime() - now.getTime())} in the future (clock went back?)`,
        });
      }
      if (problems.length === 0) {
        return { status: 'ok', detail: `${now.toISOString()}${dockerTime ? ', Docker agrees' : ''}` };
      }
      return {
        status: problems.some((p) => p.status === 'fail') ? 'fail' : 'warn',
        detail: problems.map((p) => p.text).join('; '),
      };
    },
  };
}
