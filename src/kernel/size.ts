import { UsageError } from './errors.js';

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmgt]?)b?$/i;
const UNIT_BYTES: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Parses a memory size such as `512m`, `4g`, `1.5G` or `2GB` into bytes (binary units). */
export function parseSize(text: string, flag = 'size'): number {
  const match = SIZE.exec(text.trim());
  const bytes = match ? Math.round(Number(match[1]) * (UNIT_BYTES[match[2]!.toLowerCase()] ?? 1)) : 0;
  if (!match || bytes <= 0) {
    throw new UsageError(`invalid ${flag} '${text}'`, { hint: 'use a size like 512m, 4g or 1.5g' });
  }
  return bytes;
}

/** Formats bytes the way operators write them (`512m`, `4g`, `1.5g`). */
export function formatSize(bytes: number): string {
  for (const unit of ['t', 'g', 'm', 'k'] as const) {
    const size = UNIT_BYTES[unit]!;
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))}${unit}`;
  }
  return `${bytes}b`;
}
