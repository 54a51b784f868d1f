import type { Reporter, TestModule, Vitest } from 'vitest/node';

/** Tiers that must run for real: a skipped test there hides a missing engine or a broken setup. */
const NO_SKIP_TIERS = new Set(['docker', 'e2e']);

/**
 * Fails a full `vitest run` when a selected tier ran no test files, or when a docker/e2e test was
 * skipped (todo excepted). vitest's own `passWithNoTests` is global, so an empty tier would pass.
 * Runs narrowed by file or test-name filters are exempt: emptiness is expected there.
 */
export default class TierGuardReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, _errors: unknown, reason: string): void {
    const vitest = this.vitest;
    if (!vitest || reason === 'interrupted' || vitest.config.watch) return;
    const filtered =
      ((vitest as unknown as { filenamePattern?: string[] }).filenamePattern?.length ?? 0) > 0 ||
      vitest.config.testNamePattern !== undefined;
    if (filtered) return;
    const problems: string[] = [];
    for (const project of vitest.projects) {
      const tier = project.name;
      const own = modules.filter((module) => module.project.name === tier);
      if (own.length === 0) {
        problems.push(`tier '${tier}' ran no test files`);
        continue;
      }
      if (!NO_SKIP_TIERS.has(tier)) continue;
      for (const module of own) {
        for (const test of module.children.allTests()) {
          const result = test.result();
          if (result.state === 'skipped' && test.options.mode !== 'todo') {
            problems.push(
              `tier '${tier}' skipped: ${module.relativeModuleId} > ${test.fullName}` +
                (result.note ? ` (${result.note})` : ''),
            );
          }
        }
      }
    }
    if (problems.length === 0) return;
    process.stderr.write(
      `\ntier guard: the run is incomplete, failing it:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
    );
    process.exitCode = 1;
  }
}
