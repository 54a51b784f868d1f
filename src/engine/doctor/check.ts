/** How a doctor check came out: `warn` still exits 0, `fail` does not. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
}

/** One named check. It reports problems as results; a throw is turned into a `fail` by runChecks. */
export interface DoctorCheck {
  readonly name: string;
  run(): Promise<Omit<CheckResult, 'name'>>;
}

/** Runs checks one after another (their output order is the table order), never letting one abort the rest. */
export async function runChecks(checks: readonly DoctorCheck[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    try {
      results.push({ name: check.name, ...(await check.run()) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const hint = (error as { hint?: unknown } | null)?.hint;
      const detail =
        typeof hint === 'string' && hint ? `${firstLine(message)} (${hint})` : firstLine(message);
      results.push({ name: check.name, status: 'fail', detail });
    }
  }
  return results;
}

export function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
