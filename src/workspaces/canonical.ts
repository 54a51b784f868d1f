import { realpath } from 'node:fs/promises';
import { JackinError } from '../kernel/errors.js';

/** Resolves symlinks so every check runs on the real path; a missing source is an input error. */
export async function canonicalizeSource(src: string): Promise<string> {
  try {
    return await realpath(src);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new JackinError('invalid_input', `mount source '${src}' does not exist`, {
        hint: 'create it first, or fix the path',
      });
    }
    throw new JackinError('invalid_input', `cannot read mount source '${src}': ${(error as Error).message}`, {
      cause: error,
    });
  }
}
