/**
 * The console keeps exactly one secret in the browser's storage: the session's JWT, in
 * localStorage (so a reload keeps you signed in). The admin token, when an operator enters one,
 * lives in sessionStorage: this tab only, gone when it closes. Nothing else (no credential, no
 * webhook secret) is ever stored.
 */
const TOKEN_KEY = 'flowgate.session';
const ADMIN_KEY = 'flowgate.adminToken';

type Listener = (reason: 'signed-in' | 'signed-out' | 'expired') => void;
const listeners = new Set<Listener>();

export const session = {
  token(): string | null {
    return localStorage.getItem(TOKEN_KEY);
  },
  signIn(token: string): void {
    localStorage.setItem(TOKEN_KEY, token);
    listeners.forEach((l) => l('signed-in'));
  },
  signOut(): void {
    localStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ADMIN_KEY);
    listeners.forEach((l) => l('signed-out'));
  },
  /** The API answered 401 to a signed-in call: the token expired or the account was removed. */
  expire(): void {
    if (!localStorage.getItem(TOKEN_KEY)) return;
    localStorage.removeItem(TOKEN_KEY);
    listeners.forEach((l) => l('expired'));
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  adminToken(): string | null {
    return sessionStorage.getItem(ADMIN_KEY);
  },
  setAdminToken(token: string | null): void {
    if (token) sessionStorage.setItem(ADMIN_KEY, token);
    else sessionStorage.removeItem(ADMIN_KEY);
  },
};
