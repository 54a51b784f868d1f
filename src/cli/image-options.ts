import { DEFAULT_BOOTSTRAP_SOURCE } from '../images/bootstrap.js';
import type { SharedOptions } from '../images/image-service.js';
import { UsageError } from '../kernel/errors.js';

export interface BaseFlags {
  base?: string;
  dindImage?: string;
  suite?: string;
  mirror?: string;
}

/** Flags win over JACKIN_IMAGE_BASE / JACKIN_DEBIAN_SUITE / JACKIN_DEBIAN_MIRROR, then defaults. */
export function parseBaseFlags(
  flags: BaseFlags,
  env: NodeJS.ProcessEnv,
): Required<Pick<SharedOptions, 'base' | 'bootstrap' | 'dind'>> {
  const base = flags.base ?? env.JACKIN_IMAGE_BASE ?? 'auto';
  if (base !== 'auto' && base !== 'registry' && base !== 'offline') {
    throw new UsageError(`invalid --base '${base}'`, { hint: '--base takes auto, registry or offline' });
  }
  const suite = flags.suite ?? env.JACKIN_DEBIAN_SUITE ?? DEFAULT_BOOTSTRAP_SOURCE.suite;
  if (!/^[a-z][a-z0-9-]*$/.test(suite))
    throw new UsageError(`invalid --suite '${suite}'`, { hint: 'a Debian suite name, e.g. bookworm' });
  const mirror = flags.mirror ?? env.JACKIN_DEBIAN_MIRROR ?? DEFAULT_BOOTSTRAP_SOURCE.mirror;
  if (!/^https?:\/\/\S+$/.test(mirror))
    throw new UsageError(`invalid --mirror '${mirror}'`, { hint: 'an http(s) URL of a Debian archive' });
  const dindImage = flags.dindImage ?? env.JACKIN_DIND_IMAGE;
  if (dindImage !== undefined && !/^[a-z0-9][\w./:@-]*$/.test(dindImage)) {
    throw new UsageError(`invalid --dind-image '${dindImage}'`, {
      hint: 'an image reference, e.g. docker:dind',
    });
  }
  return {
    base,
    bootstrap: { suite, mirror },
    dind: dindImage ? { source: 'registry', reference: dindImage } : { source: 'build' },
  };
}
