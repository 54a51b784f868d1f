import type { PrivilegedSupport } from '../../runtime/privileged.js';
import type { DoctorCheck } from './check.js';

export type DindModeReport = PrivilegedSupport & { readonly cached: boolean };

/**
 * How DinD sidecars get their powers on this engine (docs/adr/0005-privileged-mode-detection.md):
 * plain --privileged, or the equivalent profile when the engine refuses it. `detect` resolves
 * undefined when there is no local jackin image to probe with yet.
 */
export function dindModeCheck(
  engineReachable: () => Promise<boolean>,
  detect: () => Promise<DindModeReport | undefined>,
): DoctorCheck {
  return {
    name: 'DinD mode',
    async run() {
      if (!(await engineReachable())) return { status: 'warn', detail: 'not checked: Docker is unreachable' };
      const support = await detect();
      if (!support) {
        return {
          status: 'warn',
          detail: 'not checked yet: no jackin image to probe with (run `jackin images build`)',
        };
      }
      const cached = support.cached ? ' (cached)' : '';
      if (support.mode === 'privileged') return { status: 'ok', detail: `--privileged${cached}` };
      return {
        status: 'ok',
        detail: `equivalent profile${cached}: ${support.reason}; dropped ${support.missingCapabilities.join(', ')}`,
      };
    },
  };
}
