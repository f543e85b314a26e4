// Below this a new measurement is noise (network latency, a snapshot built a moment earlier): keeping
// the old offset stops every timer on the screen from jumping by a second at each reconnect.
const RESYNC_OVER_MS = 1000;

/**
 * One ticking clock for every timer on a screen (freeze, time in stage, turnover), once a second, on the
 * server's time: a tablet's own clock drifts, and the server stamps every event with its clock.
 */
class Clock {
  /** Server time as this device estimates it (ms since the epoch). */
  now = $state(Date.now());
  /** Server clock minus this device's clock, in ms; 0 until the live feed has said the server's time. */
  offset = $state(0);
  #timer: ReturnType<typeof setInterval> | null = null;
  #users = 0;

  /** Server time right now, outside a reactive context (a command's timestamp, a back-dated step). */
  current(): number {
    return Date.now() + this.offset;
  }

  /** Takes the server's time as received now; returns the offset in force. */
  sync(serverNow: string): number {
    const server = Date.parse(serverNow);
    if (!Number.isFinite(server)) return this.offset;
    const measured = server - Date.now();
    if (Math.abs(measured - this.offset) > RESYNC_OVER_MS) {
      this.offset = measured;
      this.now = this.current();
    }
    return this.offset;
  }

  /** Call from an effect; returns the release function. */
  use(): () => void {
    this.#users += 1;
    this.now = this.current();
    this.#timer ??= setInterval(() => (this.now = this.current()), 1000);
    return () => {
      this.#users -= 1;
      if (this.#users === 0 && this.#timer) {
        clearInterval(this.#timer);
        this.#timer = null;
      }
    };
  }
}

export const clock = new Clock();
