import type { Writable } from 'node:stream';
import type { ImageProgress } from '../../images/image-service.js';
import { writeLine } from '../io.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Image build progress on stderr: stage, layer step, elapsed; every output line with --debug. */
export function buildProgressPrinter(stderr: Writable, debug: boolean): (progress: ImageProgress) => void {
  return (p) => {
    switch (p.phase) {
      case 'reuse':
        writeLine(stderr, `${p.image}: ${p.tag} is up to date (recipe unchanged, no build)`);
        return;
      case 'start':
        writeLine(stderr, `${p.image}: building ${p.tag} (${p.detail ?? 'missing'})`);
        return;
      case 'done':
        writeLine(stderr, `${p.image}: built ${p.tag} in ${seconds(p.elapsedMs)}`);
        return;
      case 'progress':
        if (p.progress.kind === 'step') {
          const text =
            p.progress.instruction.length > 90
              ? `${p.progress.instruction.slice(0, 87)}...`
              : p.progress.instruction;
          writeLine(
            stderr,
            `${p.image}: step ${p.progress.step}/${p.progress.total} ${text} [${seconds(p.elapsedMs)}]`,
          );
        } else if (debug) {
          writeLine(stderr, `  ${p.progress.line}`);
        }
        return;
    }
  };
}
