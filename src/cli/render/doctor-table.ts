import type { CheckResult, CheckStatus } from '../../engine/doctor/check.js';

const COLOURS: Record<CheckStatus, string> = { ok: '\u001b[32m', warn: '\u001b[33m', fail: '\u001b[31m' };
const RESET = '\u001b[0m';

/** `check  status  detail`, aligned; the status word is coloured only when `color` is set. */
export function renderDoctorTable(checks: readonly CheckResult[], color: boolean): string {
  const headers = ['CHECK', 'STATUS', 'DETAIL'] as const;
  const nameWidth = Math.max(headers[0].length, ...checks.map((c) => c.name.length));
  const statusWidth = Math.max(headers[1].length, ...checks.map((c) => c.status.length));
  const row = (name: string, status: string, detail: string, paint?: CheckStatus): string => {
    const padded = status.padEnd(statusWidth);
    const shown =
      paint && color ? `${COLOURS[paint]}${status}${RESET}${padded.slice(status.length)}` : padded;
    return `${name.padEnd(nameWidth)}  ${shown}  ${detail}`.trimEnd();
  };
  return [
    row(headers[0], headers[1], headers[2]),
    ...checks.map((c) => row(c.name, c.status, c.detail, c.status)),
  ].join('\n');
}
