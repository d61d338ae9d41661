export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

export interface CliContext {
  argv: readonly string[];
  environment: Record<string, string | undefined>;
  cwd: string;
  stdout: OutputStream;
  stderr: OutputStream;
  /**
   * Stops every pending request, e.g. on Ctrl-C: what has arrived is still printed, and the exit
   * code is 130, or 143 when the abort reason is `interruption('SIGTERM')`.
   */
  signal?: AbortSignal | undefined;
  /**
   * Time for `watch` and `history` (`@aicredits/monitor`'s `WatchClock`): a simulated clock, such
   * as its `createManualClock()`, takes a day of readings in moments, for demos and tests.
   * Default the system clock.
   */
  clock?: CommandClock | undefined;
}

/** The clock `watch` and `history` run on: the time, timers on it, and chance for jitter. */
export interface CommandClock {
  now(): number;
  /** Calls `callback` after `milliseconds`; returns a function that cancels it. */
  setTimer(callback: () => void, milliseconds: number): () => void;
  /** In [0, 1). */
  random(): number;
}

/** Exit codes without `--detailed-exit-codes`: 0 fine, 1 something needs attention, 2 usage or setup. */
export const exitCodes = {
  ok: 0,
  alert: 1,
  usage: 2,
  /** With `--detailed-exit-codes`: an account is below its threshold (and nothing worse). */
  low: 3,
  /** With `--detailed-exit-codes`: a plan has expired (and nothing worse). */
  expired: 4,
  /** With `--detailed-exit-codes`: a provider answered with an error (rejected key, bad response). */
  failed: 5,
  /** With `--detailed-exit-codes`: a provider could not be reached or did not answer in time. */
  unreachable: 6,
  /** A bug: an error nobody expected (EX_SOFTWARE). */
  internal: 70,
  /** 128 + SIGINT, as shells report Ctrl-C. */
  interrupted: 130,
  /** 128 + SIGTERM. */
  terminated: 143,
} as const;

export type InterruptingSignal = 'SIGINT' | 'SIGTERM';

/** The abort reason the `aicredits` bin uses, so `main` can exit 130 or 143. */
export function interruption(signal: InterruptingSignal): Error & { signal: InterruptingSignal } {
  return Object.assign(new Error(`interrupted by ${signal}`), { name: 'Interruption', signal });
}

export function interruptedExitCode(signal: AbortSignal): number {
  const reason = signal.reason as { signal?: unknown } | undefined;
  return typeof reason === 'object' && reason !== null && reason.signal === 'SIGTERM'
    ? exitCodes.terminated
    : exitCodes.interrupted;
}

/** An account that was not done when the command was interrupted; shown as `interrupted`. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor() {
    super('not done when the command was interrupted');
  }
}
