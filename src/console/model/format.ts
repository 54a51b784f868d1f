/** Text formatting for fixed-width terminal cells. All pure; widths are in terminal columns. */

/** Pads or truncates (with an ellipsis) to exactly `width` columns. */
export function cell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const chars = [...text];
  if (chars.length > width) return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
  const pad = ' '.repeat(width - chars.length);
  return align === 'left' ? text + pad : pad + text;
}

/** Truncates to at most `width` columns without padding. */
export function clip(text: string, width: number): string {
  const chars = [...text];
  return chars.length > width ? cell(text, width) : text;
}

/** Compact elapsed time: 45s, 12m, 3h12m, 2d3h. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h${minutes % 60 ? `${minutes % 60}m` : ''}`;
  const days = Math.floor(hours / 24);
  return `${days}d${hours % 24 ? `${hours % 24}h` : ''}`;
}

/** Uptime of an instance at `now`, or `-` when it never started. */
export function formatUptime(startedAt: string | null, now: number): string {
  if (startedAt === null) return '-';
  const started = Date.parse(startedAt);
  return Number.isNaN(started) ? '-' : formatDuration(now - started);
}

export function formatCpu(percent: number | undefined): string {
  if (percent === undefined) return '-';
  return percent >= 100 ? `${Math.round(percent)}%` : `${percent.toFixed(percent < 10 ? 1 : 0)}%`;
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '-';
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value < 10 && unit > 0 ? 1 : 0;
  return `${value.toFixed(digits)}${units[unit]}`;
}

/** `HH:MM:SS` of an ISO time (UTC, like the log). */
export function formatClock(iso: string | null): string {
  if (iso === null) return '--:--:--';
  return iso.slice(11, 19);
}

/** `YYYY-MM-DD HH:MM:SSZ` of an ISO time. */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) return 'the empty log';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}
