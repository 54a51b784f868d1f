import { JackinError } from '../kernel/errors.js';

/** A build step failed. Carries the step and the last output lines (never build-arg values). */
export class ImageBuildStepError extends JackinError {
  readonly step: string;
  readonly tail: readonly string[];

  constructor(tag: string, step: string, reason: string, tail: readonly string[]) {
    super('image_build_failed', `building ${tag} failed at ${step}: ${reason}`, {
      hint: 'run again with --debug to see the full build output (also in ~/.jackin/logs/jackin.log)',
      details: { tag, step },
    });
    this.name = 'ImageBuildStepError';
    this.step = step;
    this.tail = tail;
  }
}
