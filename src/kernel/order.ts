/**
 * Orders strings by UTF-16 code unit: the same on every machine and in every locale, which matters
 * for anything hashed or recorded. `localeCompare` follows the process locale, and its first call
 * loads ICU's collator (~7 ms of a command's start-up).
 */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
