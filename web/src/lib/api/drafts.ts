// What a user has typed survives an expired session and a reload (the Wi-Fi gone, the page reloaded):
// forms register a reader, every registered draft is saved to localStorage when the page is hidden
// or left and before sending the user to sign in, and the form takes it back when it mounts again.
// Drafts are kept per user (a shared tablet) and per form of a case; sign-out removes them all.
const PREFIX = 'cryoday:draft:';
const readers = new Map<string, () => unknown>();
let owner = '';

const storageKey = (key: string) => `${PREFIX}${owner}:${key}`;

/** Whose drafts are read and written from now on (the signed-in user's id). */
export function setDraftOwner(userId: string) {
  owner = userId;
}

export function registerDraft(key: string, read: () => unknown): () => void {
  readers.set(key, read);
  return () => {
    if (readers.get(key) === read) readers.delete(key);
  };
}

export function saveDrafts() {
  if (!owner) return;
  for (const [key, read] of readers) {
    try {
      localStorage.setItem(storageKey(key), JSON.stringify(read()));
    } catch {
      // Storage full or disabled: losing a draft must not stop the page from leaving.
    }
  }
}

/** The saved draft for `key`, removed from storage as it is taken. */
export function takeDraft<T>(key: string): T | null {
  if (!owner) return null;
  try {
    const raw = localStorage.getItem(storageKey(key));
    if (raw === null) return null;
    localStorage.removeItem(storageKey(key));
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

/** Sign-out: no one's typed values stay on the tablet. */
export function clearDrafts() {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
  } catch {
    // Storage disabled: nothing was kept.
  }
}

if (typeof window !== 'undefined') {
  addEventListener('pagehide', saveDrafts);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') saveDrafts();
  });
}
