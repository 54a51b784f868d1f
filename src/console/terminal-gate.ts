/**
 * While the console lends the terminal to an attached session (`docker exec -it … tmux attach`), Ink
 * keeps running: uptimes tick and frames render, and a component mounting a key handler re-enables
 * raw mode and starts reading stdin again. Ink therefore gets gated views of both streams: output is
 * dropped while the terminal is lent, and raw-mode and key-reader changes are deferred until it is
 * back. Without the gates a frame lands on the session's screen, or the console steals its keys.
 */

type Listener = (...args: unknown[]) => void;

interface ReadHandle {
  reading?: boolean;
  readStop?: () => number;
  readStart?: () => number;
}

/** A view of `target` whose methods stay bound to it, with some members replaced. */
function view<T extends object>(target: T, replaced: Partial<Record<PropertyKey, unknown>>): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.prototype.hasOwnProperty.call(replaced, property)) return replaced[property];
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/**
 * Pausing a TTY stream does not stop Node reading the terminal (the handle keeps reading into the
 * buffer), so keys typed for the session could end up in the console. Stop and restart the handle.
 */
function setHandleReading(stdin: NodeJS.ReadStream, reading: boolean): void {
  const handle = (stdin as unknown as { _handle?: ReadHandle })._handle;
  if (!handle?.readStop || !handle.readStart) return;
  if (reading && !handle.reading) {
    handle.reading = true;
    handle.readStart();
  } else if (!reading && handle.reading) {
    handle.reading = false;
    handle.readStop();
  }
}

export interface TerminalGate {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  /** Hands the real terminal over: cooked mode, no reads, no frames. */
  lend(): void;
  /** Takes it back: the raw mode and readers Ink asked for meanwhile are applied; frames flow again. */
  reclaim(): void;
}

export function terminalGate(stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream): TerminalGate {
  let lent = false;
  let wantRaw = stdin.isTTY ? stdin.isRaw : false;
  const deferredReaders: Listener[] = [];

  const gatedStdout = view(stdout, {
    write: (...args: unknown[]): boolean =>
      lent ? true : (stdout.write as (...a: unknown[]) => boolean).apply(stdout, args),
  });

  const on = (event: string | symbol, listener: Listener): NodeJS.ReadStream => {
    if (lent && event === 'readable') deferredReaders.push(listener);
    else stdin.on(event as string, listener);
    return gatedStdin;
  };
  const off = (event: string | symbol, listener: Listener): NodeJS.ReadStream => {
    const deferred = event === 'readable' ? deferredReaders.indexOf(listener) : -1;
    if (deferred >= 0) deferredReaders.splice(deferred, 1);
    else stdin.off(event, listener);
    return gatedStdin;
  };
  const gatedStdin: NodeJS.ReadStream = view(stdin, {
    setRawMode: (mode: boolean): NodeJS.ReadStream => {
      wantRaw = mode;
      if (!lent) stdin.setRawMode(mode);
      return gatedStdin;
    },
    on,
    addListener: on,
    off,
    removeListener: off,
  });

  return {
    stdin: gatedStdin,
    stdout: gatedStdout,
    lend() {
      if (lent) return;
      lent = true;
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      setHandleReading(stdin, false);
    },
    reclaim() {
      if (!lent) return;
      lent = false;
      if (stdin.isTTY) stdin.setRawMode(wantRaw);
      for (const listener of deferredReaders.splice(0)) stdin.on('readable', listener);
      setHandleReading(stdin, true);
      stdin.resume();
    },
  };
}
