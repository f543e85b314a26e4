import type { SignedInUser } from '$shared';
import { api } from '$lib/api/client';
import { ApiError } from '$lib/api/problem';

/** Who is signed in on this device; null until known, and after signing out. */
class Session {
  user = $state<SignedInUser | null>(null);
  checked = $state(false);

  /** Asks the server; false when nobody is signed in. Network errors are thrown, not taken as signed out. */
  async load(): Promise<boolean> {
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
    this.user = await api.login(username, password);
  }

  async changePassword(currentPassword: string, newPassword: string) {
    this.user = await api.changePassword(currentPassword, newPassword);
  }

  async signOut() {
    await api.logout().catch(() => undefined);
    this.user = null;
  }
}

export const session = new Session();
