import { UsageError } from '../kernel/errors.js';

/** Parses a CLI integer flag (> 0) or throws a usage error naming the flag. */
export function parsePositiveInt(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) <= 0) {
    throw new UsageError(`invalid ${flag} '${text}'`, {
      hint: `${flag} takes a whole number greater than 0`,
    });
  }
  return Number(text);
}
