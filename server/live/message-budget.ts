/**
 * What one live socket may send: `perMinute` messages at once, refilled at `perMinute` a minute. A
 * screen sends a ping every 20 s and a resume now and then; a socket that sends more is not a screen.
 */
export class MessageBudget {
  #left: number;
  #at: number;

  constructor(
    private readonly perMinute: number,
    now = Date.now(),
  ) {
    this.#left = perMinute;
    this.#at = now;
  }

  /** Spends one message; false once the budget is gone. */
  spend(now = Date.now()): boolean {
    this.#left = Math.min(this.perMinute, this.#left + ((now - this.#at) * this.perMinute) / 60_000);
    this.#at = now;
    if (this.#left < 1) return false;
    this.#left -= 1;
    return true;
  }
}
