import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutboxEntry } from './outbox-queue';

// The tablet's own store for what must outlive a reload with no network: the outbox, and the last
// answer of each read the bedside screens need (who is signed in, the day, a case). Patient data
// stays here only for the signed-in session: sign-out, or a server saying the session is gone,
// empties it.

interface OfflineSchema extends DBSchema {
  outbox: { key: string; value: OutboxEntry };
  answers: { key: string; value: { path: string; body: unknown } };
}

const NAME = 'cryoday-offline';
let opening: Promise<IDBPDatabase<OfflineSchema>> | null = null;

function database(): Promise<IDBPDatabase<OfflineSchema>> {
  opening ??= openDB<OfflineSchema>(NAME, 1, {
    upgrade(db) {
      db.createObjectStore('outbox', { keyPath: 'key' });
      db.createObjectStore('answers', { keyPath: 'path' });
    },
  }).catch((error: unknown) => {
    opening = null;
    throw error;
  });
  return opening;
}

export async function storedEntries(userId: string): Promise<OutboxEntry[]> {
  return (await (await database()).getAll('outbox')).filter((e) => e.userId === userId);
}

/** Writes `put` and removes `remove` in one transaction, so a rebased queue is never half stored. */
export async function storeEntries(put: readonly OutboxEntry[], remove: readonly string[] = []): Promise<void> {
  const tx = (await database()).transaction('outbox', 'readwrite');
  await Promise.all([...remove.map((key) => tx.store.delete(key)), ...put.map((entry) => tx.store.put(entry)), tx.done]);
}

export async function rememberAnswer(path: string, body: unknown): Promise<void> {
  await (await database()).put('answers', { path, body });
}

export async function recalledAnswer<T>(path: string): Promise<T | undefined> {
  return (await (await database()).get('answers', path))?.body as T | undefined;
}

export async function forgetAnswers(): Promise<void> {
  await (await database()).clear('answers');
}

/** Sign-out: nothing of this session stays on the tablet. */
export async function forgetEverything(): Promise<void> {
  const db = await database();
  const tx = db.transaction(['outbox', 'answers'], 'readwrite');
  await Promise.all([tx.objectStore('outbox').clear(), tx.objectStore('answers').clear(), tx.done]);
}
