/** One ticking clock for every timer on a screen (freeze, time in stage, turnover), once a second. */
class Clock {
  now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | null = null;
  #users = 0;

  /** Call from an effect; returns the release function. */
  use(): () => void {
    this.#users += 1;
    this.now = Date.now();
    this.#timer ??= setInterval(() => (this.now = Date.now()), 1000);
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
