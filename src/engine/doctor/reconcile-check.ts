import type { DoctorCheck } from './check.js';

/** What the reconciler would do now (see surveyInstances); the doctor only counts it. */
export interface ReconcileFindings {
  readonly gone: readonly string[];
  readonly stopped: readonly string[];
  readonly interrupted: readonly string[];
  readonly orphans: number;
  readonly unwatched?: readonly string[] | undefined;
  /** Prewarmed sidecars ready for the next launch (ADR 0020). */
  readonly prewarmed?: readonly string[] | undefined;
  /** Instance objects of other jackin homes on this engine (ADR 0023): informational, never touched. */
  readonly otherHomes?: number | undefined;
  /** Instance objects without a home label whose instance this log does not know: left alone. */
  readonly unclaimed?: number | undefined;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * What the doctor says about other homes' objects on the same engine (ADR 0023), or ''. Neither is
 * a problem: this home's reconciler, prune and exile leave them alone.
 */
function otherHomesNote(found: ReconcileFindings): string {
  const parts = [
    (found.otherHomes ?? 0) > 0
      ? `${plural(found.otherHomes ?? 0, 'object')} of other jackin homes on this engine`
      : '',
    (found.unclaimed ?? 0) > 0
      ? `${plural(found.unclaimed ?? 0, 'unlabelled object')} of instances this log does not know (an older jackin's or another home's)`
      : '',
  ].filter((part) => part !== '');
  return parts.length > 0 ? `; left alone: ${parts.join(', ')}` : '';
}

/**
 * The reconciler, dry: instances whose containers are gone or stopped, interrupted launches or
 * ejects, labelled objects no live instance owns, and running instances without a status watcher.
 * Anything to do is a warning (the next `jackin status` or `prune` settles it), never a failure.
 * Other homes' objects on the engine are counted, for information only.
 */
export function reconcilerCheck(
  engineReachable: () => Promise<boolean>,
  survey: () => Promise<ReconcileFindings>,
): DoctorCheck {
  return {
    name: 'reconciler',
    async run() {
      if (!(await engineReachable())) return { status: 'warn', detail: 'not checked: Docker is unreachable' };
      const found = await survey();
      const pending = [
        found.gone.length > 0 ? `${plural(found.gone.length, 'instance')} whose container is gone` : '',
        found.stopped.length > 0
          ? `${plural(found.stopped.length, 'running instance')} whose container stopped`
          : '',
        found.interrupted.length > 0
          ? plural(found.interrupted.length, 'interrupted launch or eject', 'interrupted launches or ejects')
          : '',
        found.orphans > 0
          ? `${plural(found.orphans, 'orphaned object')} (run \`jackin prune instances\`)`
          : '',
        found.unwatched && found.unwatched.length > 0
          ? `${plural(found.unwatched.length, 'running instance')} without a status watcher (\`jackin hardline\` restarts it)`
          : '',
      ].filter((part) => part !== '');
      if (pending.length > 0)
        return { status: 'warn', detail: `would reconcile: ${pending.join('; ')}${otherHomesNote(found)}` };
      return {
        status: 'ok',
        detail: `log and Docker agree${found.unwatched ? '; every running instance is watched' : ''}${
          found.prewarmed && found.prewarmed.length > 0
            ? `; ${plural(found.prewarmed.length, 'prewarmed sidecar')} ready`
            : ''
        }${otherHomesNote(found)}`,
      };
    },
  };
}
