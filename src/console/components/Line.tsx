import { Text } from 'ink';
import { useConsoleData } from '../context.js';
import { cell, clip } from '../model/format.js';
import type { Tone } from '../model/status.js';
import { toneColor } from '../theme.js';

export interface LineProps {
  readonly text: string;
  readonly width: number;
  readonly tone?: Tone;
  readonly bold?: boolean;
  readonly inverse?: boolean;
  readonly dim?: boolean;
  /** Pad to the full width (so an inverse bar spans the line). */
  readonly fill?: boolean;
}

/** One terminal line, never wider than `width`: every screen is built from these. */
export function Line({
  text,
  width,
  tone = 'plain',
  bold = false,
  inverse = false,
  dim = false,
  fill = false,
}: LineProps) {
  const { color } = useConsoleData();
  const shown = fill ? cell(text, width) : clip(text, width);
  const hue = toneColor(tone, color);
  return (
    <Text
      wrap="truncate-end"
      {...(hue ? { color: hue } : {})}
      bold={bold}
      inverse={inverse}
      dimColor={dim && color}
    >
      {shown === '' ? ' ' : shown}
    </Text>
  );
}
