// What a user has typed survives an expired session: forms register a reader, the API client saves
// every registered draft to sessionStorage before sending the user to sign in, and the form takes it
// back when it mounts again.
const PREFIX = 'cryoday:draft:';
const readers = new Map<string, () => unknown>();

export function registerDraft(key: string, read: () => unknown): () => void {
  readers.set(key, read);
  return () => {
    if (readers.get(key) === read) readers.delete(key);
  };
}

export function saveDrafts() {
  for (const [key, read] of readers) {
    try {
      sessionStorage.setItem(PREFIX + key, JSON.stringify(read()));
    } catch {
      // Storage full or disabled: losing a draft must not stop the redirect to sign-in.
    }
  }
}

/** The saved draft for `key`, removed from storage as it is taken. */
export function takeDraft<T>(key: string): T | null {
  try {
    const raw = sessionStorage.getItem(PREFIX + key);
    if (raw === null) return null;
    sessionStorage.removeItem(PREFIX + key);
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
