// A form leaves the screen when the next step moves on (a colleague's save can do that): what this
// tablet had typed, and what it had seen of the case, wait here for the form to come back on this page.
const kept = new Map<string, unknown>();

export function keptDraft<T>(key: string, make: () => T): T {
  if (!kept.has(key)) kept.set(key, make());
  return kept.get(key) as T;
}
