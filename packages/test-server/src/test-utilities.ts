/** The rejection of `promise`; throws if it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Structurally a `Partial<Clock>` of `@aicredits/core/provider-utils` (for its `withClock`). */
export interface RecordingClock {
  /** Every wait the client asked for, in milliseconds, in order. */
  waits: number[];
  clock: {
    random: () => number;
    sleep: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  };
}

/** A clock that records the waits instead of waiting; `random` 0 means no jitter. */
export function recordingClock(overrides: Partial<RecordingClock['clock']> = {}): RecordingClock {
  const waits: number[] = [];
  return {
    waits,
    clock: {
      random: () => 0,
      sleep: async (milliseconds, signal) => {
        waits.push(milliseconds);
        if (signal.aborted) throw signal.reason;
      },
      ...overrides,
    },
  };
}

/**
 * Runs `body` with the given environment variables set (a string) or unset (`undefined`), then
 * restores every one of them as it was, even when `body` throws.
 */
export async function withEnvironment<T>(
  variables: Record<string, string | undefined>,
  body: () => Promise<T> | T,
): Promise<T> {
  const saved = Object.keys(variables).map((name) => [name, process.env[name]] as const);
  try {
    for (const [name, value] of Object.entries(variables)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    return await body();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** What one call came to: its value, or what it threw. */
export type Outcome<T> = { seed: number; ok: true; value: T } | { seed: number; ok: false; error: unknown };

/**
 * Calls `call` once per seed `1..count`, in order, handing it the `Prefer` header that makes Prism
 * generate a random body from the schema with that seed (fixed seeds: the same bodies every run).
 */
export async function seededDynamicOutcomes<T>(
  count: number,
  call: (headers: Record<string, string>, seed: number) => Promise<T>,
): Promise<Array<Outcome<T>>> {
  const outcomes: Array<Outcome<T>> = [];
  for (let seed = 1; seed <= count; seed++) {
    try {
      outcomes.push({ seed, ok: true, value: await call({ Prefer: `dynamic=true, seed=${seed}` }, seed) });
    } catch (error) {
      outcomes.push({ seed, ok: false, error });
    }
  }
  return outcomes;
}

/** A one-line description of an outcome's error for assertion messages. */
export function describeOutcome(outcome: Outcome<unknown> | undefined): string {
  if (outcome === undefined) return 'none';
  if (outcome.ok) return `seed ${outcome.seed}: ok`;
  const error = outcome.error as { name?: unknown; message?: unknown; rawBody?: unknown };
  const raw = typeof error.rawBody === 'string' ? ` rawBody=${error.rawBody.slice(0, 600)}` : '';
  return `seed ${outcome.seed}: ${String(error.name)}: ${String(error.message)}${raw}`;
}
