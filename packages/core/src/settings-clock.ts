import type { ProviderSettings } from './provider-settings.js';
import { type Clock, systemClock } from './transport.js';

/**
 * Where settings carry a replacement clock: a symbol rather than a property, so that it is no part
 * of `ProviderSettings` (users' editors never offer it), while object spreads still copy it from the
 * facade's shared settings into each client's. `Symbol.for`, so two copies of the core agree.
 */
const clockKey = Symbol.for('aicredits.clock');

type WithClock = { [clockKey]?: Partial<Clock> };

/**
 * A copy of `settings` whose client runs on `clock` (any part of it; the rest stays the system's):
 * timeouts, retry waits and jitter, and the facade's account budget. For tests, so that a wait is
 * recorded instead of slept and a timeout fires when the test moves time forward.
 *
 * @example
 * ```ts
 * import { withClock } from '@aicredits/core/provider-utils';
 *
 * const waits: number[] = [];
 * const acme = createAcme(withClock({ apiKey: 'test' }, { random: () => 0, sleep: async (ms) => void waits.push(ms) }));
 * ```
 */
export function withClock<Settings extends ProviderSettings>(settings: Settings, clock: Partial<Clock>): Settings {
  return { ...settings, [clockKey]: clock };
}

/** The clock `settings` run on: the system's, with what {@link withClock} replaced. */
export function clockOf(settings: ProviderSettings): Clock {
  const replaced = (settings as WithClock)[clockKey];
  return replaced === undefined ? systemClock : { ...systemClock, ...replaced };
}
