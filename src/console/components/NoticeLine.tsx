import { useConsoleData } from '../context.js';
import { Line } from './Line.js';

/** The outcome of the last action (or why it failed), until the next key or a few seconds. */
export function NoticeLine() {
  const { state } = useConsoleData();
  if (!state.notice) return null;
  const prefix = state.notice.tone === 'error' ? 'error: ' : '';
  return (
    <Line
      text={`${prefix}${state.notice.text}`}
      width={state.size.columns}
      tone={state.notice.tone === 'error' ? 'danger' : 'active'}
      bold={state.notice.tone === 'error'}
    />
  );
}
