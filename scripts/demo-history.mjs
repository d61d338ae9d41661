// What the watch and serve demos share: mock credits that run down on a clock the demo controls,
// and rounds of `aicredits watch --once` taken on that same clock, so a burn rate and a forecast are
// there in moments instead of after hours of polling.
import { createManualClock } from '@aicredits/monitor';
import { main } from 'aicredits/cli';

/**
 * The mocks' clock: simulated while the demo takes its rounds, then real time. The simulation ends
 * at the real time it started from, so the credits keep running down without a jump.
 */
export function createDemoClock(simulatedMs) {
  const end = Date.now();
  const simulated = createManualClock(end - simulatedMs, () => 0.5);
  let live = false;
  return {
    /** The clock `watch --once` runs on during the simulation. */
    simulated,
    /** For `startMockServers({ clock })`. */
    mock: { now: () => (live ? Date.now() : simulated.now()) },
    /** Real time from now on (for `aicredits serve`). */
    goLive: () => {
      live = true;
    },
  };
}

/**
 * Runs `aicredits watch --once` `rounds` times, `everyMs` apart on the demo clock, and returns each
 * round's exit code. `onRound` runs after each (e.g. to print the notifications that arrived).
 */
export async function watchRounds({ clock, rounds, everyMs, configPath, environment, cwd, stdout, stderr, onRound }) {
  const codes = [];
  for (let round = 0; round < rounds; round++) {
    if (round > 0) await clock.simulated.advance(everyMs, async () => {});
    codes.push(
      await main({
        argv: ['watch', '--once', '--config', configPath],
        environment,
        cwd,
        stdout,
        stderr,
        clock: clock.simulated,
      }),
    );
    await onRound?.(round);
  }
  return codes;
}
