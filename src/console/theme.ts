import type { Tone } from './model/status.js';

const TONE_COLORS: Record<Tone, string | undefined> = {
  danger: 'red',
  attention: 'yellow',
  active: 'green',
  muted: 'gray',
  plain: undefined,
};

/** The colour of a tone, or none at all when colour is off (NO_COLOR, dumb terminals). */
export function toneColor(tone: Tone, color: boolean): string | undefined {
  return color ? TONE_COLORS[tone] : undefined;
}
