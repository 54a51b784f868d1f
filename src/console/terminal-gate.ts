/**
 * While the console lends the terminal to an attached session (`docker exec -it … tmux attach`), Ink
 * keeps running: uptimes tick and frames render, and a component mounting a key handler re-enables
 * raw mode and starts reading stdin again. Ink therefore gets gated views of both streams: output is
 * dropped while the terminal is lent, and raw-mode and key-reader changes are deferred until it is
 * back. Without the gates a frame lands on the session's screen, or the console steals its keys.
 *
 * Reads are gated too. A TTY stream's high-water mark is 0, so Node stops the handle after every
 * chunk and `read()` starts it again; Ink's key reader loops on `read()` until it returns null, and
 * the Enter that attaches lends the terminal from inside that loop. Its last `read()` would restart
 * the handle under the session: the console then races the session for every line typed, and either
 * steals it or, once the session has taken the terminal out of non-blocking mode, blocks its whole
 * event loop in read(2) on the line the session already took.
 */

type Listener = (...args: unknown[]) => void;

interface ReadHandle {
  fd?: number;
  reading?: boolean;
  readStop?: () => number;
  readStart?: () => number;
  setBlocking?: (blocking: boolean) => number;
}

function handleOf(stdin: NodeJS.ReadStream): ReadHandle | undefined {
  return (stdin as unknown as { _handle?: ReadHandle })._handle;
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
  const handle = handleOf(stdin);
  if (!handle?.readStop || !handle.readStart) return;
  if (reading && !handle.reading) {
    handle.reading = true;
    handle.readStart();
  } else if (!reading && handle.reading) {
    handle.reading = false;
    handle.readStop();
  }
}

/**
 * A session started with the terminal as its stdin clears O_NONBLOCK on it (Node's spawn does for
 * stdio 0-2, so do many programs), and libuv opened the console's terminal as the same file
 * description it put on fd 0. Put back the non-blocking mode libuv set, so a read never waits in the
 * kernel. Only on a terminal libuv reopened (its fd is not 0-2): that description is this process's
 * own; the original one is shared with the shell that started the console.
 */
function restoreNonBlocking(stdin: NodeJS.ReadStream): void {
  const handle = handleOf(stdin);
  if (stdin.isTTY && handle?.setBlocking && handle.fd !== undefined && handle.fd > 2)
    handle.setBlocking(false);
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
    read: (...args: unknown[]): unknown =>
      lent ? null : (stdin.read as (...a: unknown[]) => unknown).apply(stdin, args),
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
      restoreNonBlocking(stdin);
      if (stdin.isTTY) stdin.setRawMode(wantRaw);
      for (const listener of deferredReaders.splice(0)) stdin.on('readable', listener);
      setHandleReading(stdin, true);
      stdin.resume();
      // Keys that arrived before the lend and were left unread: the stream will not announce them again.
      if (stdin.readableLength > 0) process.nextTick(() => stdin.emit('readable'));
    },
  };
}
