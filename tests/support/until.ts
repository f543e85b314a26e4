/**
 * Waits until `check` holds, looking every 10 ms; past `ms` it throws, naming what it waited for. 15 s by
 * default: a wait that is met costs nothing more, and a loaded two-core machine can be slow to meet it.
 */
export async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
