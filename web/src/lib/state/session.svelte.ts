import type { SignedInUser } from '$shared';
import { api, endKeptAnswers, startKeptAnswers } from '$lib/api/client';
import { clearDrafts, setDraftOwner } from '$lib/api/drafts';
import { ApiError, NetworkError } from '$lib/api/problem';
import { forgetAnswers } from '$lib/offline/offline-db';
import { outbox } from '$lib/offline/outbox.svelte';

// A sign-out the server never heard (no network): the session cookie is still valid, so the next
// load ends it on the server before anything else, and nobody is signed in meanwhile.
const SIGN_OUT_PENDING = 'cryoday:sign-out-pending';

const signOutPending = (): boolean => {
  try {
    return localStorage.getItem(SIGN_OUT_PENDING) !== null;
  } catch {
    return false;
  }
};

function setSignOutPending(pending: boolean) {
  try {
    if (pending) localStorage.setItem(SIGN_OUT_PENDING, '1');
    else localStorage.removeItem(SIGN_OUT_PENDING);
  } catch {
    // Storage disabled: the server session ends at its own expiry.
  }
}

/** Who is signed in on this device; null until known, and after signing out. */
class Session {
  #user = $state<SignedInUser | null>(null);
  checked = $state(false);

  get user(): SignedInUser | null {
    return this.#user;
  }

  // Drafts and the outbox are this user's alone: set with the user, everywhere the user is set.
  set user(user: SignedInUser | null) {
    this.#user = user;
    setDraftOwner(user?.id ?? '');
    if (user) void outbox.open(user.id);
  }

  /** Asks the server; false when nobody is signed in. Network errors are thrown, not taken as signed out. */
  async load(): Promise<boolean> {
    if (signOutPending()) {
      await this.#endServerSession();
      this.user = null;
      this.checked = true;
      return false;
    }
    try {
      this.user = await api.me();
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.user = null;
        return false;
      }
      throw error;
    } finally {
      this.checked = true;
    }
  }

  async signIn(username: string, password: string) {
    // Another user may sign in on this tablet: nothing read for the one before is given back to them.
    await forgetAnswers().catch(() => undefined);
    this.user = await api.login(username, password);
    setSignOutPending(false);
    startKeptAnswers();
  }

  async changePassword(currentPassword: string, newPassword: string) {
    this.user = await api.changePassword(currentPassword, newPassword);
  }

  /** Signs out and leaves nothing of the session on the tablet: kept answers, drafts, the outbox. */
  async signOut() {
    endKeptAnswers();
    await this.#endServerSession();
    clearDrafts();
    await outbox.forget();
    this.user = null;
  }

  async #endServerSession() {
    try {
      await api.logout();
      setSignOutPending(false);
    } catch (error) {
      setSignOutPending(error instanceof NetworkError);
    }
  }
}

export const session = new Session();
