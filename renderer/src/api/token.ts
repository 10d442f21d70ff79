/**
 * Browser mode's key to the notebook. Gloss prints `http://127.0.0.1:PORT/#token=T`: the fragment never leaves the
 * browser (not in a request line, a log or a Referer), and no cookie is ever set (cookies ignore ports: every other
 * server on 127.0.0.1 would receive it). This module takes the token out of the address as soon as it is imported
 * (main.tsx imports it first, before any module reads location.hash), keeps it in memory and in this tab's
 * sessionStorage (so a reload of the tab keeps working; a new tab has none and shows "open the URL Gloss printed"), and
 * the client sends it as `Authorization: Bearer` on every call. Under Electron there is no token: IPC needs none.
 */

const STORAGE_KEY = 'gloss.token';

/** `#token=T`, optionally followed by a route (`#token=T#/article/x`: the printed URL with a route appended). */
const TOKEN_FRAGMENT = /^#token=([^#&]*)(.*)$/s;

let token: string | null = null;
const changeListeners = new Set<() => void>();

function readStored(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the token lives in memory only, and a reload needs the printed URL again
  }
}

function store(value: string | null): void {
  try {
    if (value === null) window.sessionStorage.removeItem(STORAGE_KEY);
    else window.sessionStorage.setItem(STORAGE_KEY, value);
  } catch {
    /* memory only */
  }
}

/** Moves a token found in the address's fragment into memory and storage, and the address back to the bare route. */
function takeFromAddress(): boolean {
  const match = TOKEN_FRAGMENT.exec(window.location.hash);
  if (!match) return false;
  let found: string;
  try {
    found = decodeURIComponent(match[1]);
  } catch {
    found = match[1];
  }
  const rest = match[2].startsWith('#') ? match[2] : '';
  // replaceState: the address with the token is not kept in the tab's history either (Back cannot bring it back).
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${rest}`);
  if (found === '') return false;
  const changed = found !== token;
  token = found;
  store(found);
  if (changed) for (const listener of changeListeners) listener();
  return true;
}

if (typeof window !== 'undefined' && !window.gloss) {
  if (!takeFromAddress()) token = readStored();
  // The printed URL opened again in a tab already on this origin is a same-document navigation: no new load, only a
  // hashchange. This listener is registered before any of the app's, so the route they read is already bare.
  window.addEventListener('hashchange', () => void takeFromAddress());
}

/** The token this tab holds, or null (never opened with the printed URL, or it was refused). */
export function currentToken(): string | null {
  return token;
}

/** The header every browser-mode API call carries. */
export function authorizationHeaders(): Record<string, string> {
  return token === null ? {} : { Authorization: `Bearer ${token}` };
}

/**
 * The server said 401 to a request that carried `refused`: that token is not (or no longer) this Gloss's. Forget it so
 * a reload does not retry it, and say true. A newer token, opened in this tab while that request was out, is kept (a
 * late refusal of the old one must not throw the right one away): false.
 */
export function forgetToken(refused: string | null): boolean {
  if (refused !== token) return false;
  token = null;
  store(null);
  return true;
}

/** Called when a (new) token arrives in the address. */
export function onTokenChange(listener: () => void): () => void {
  changeListeners.add(listener);
  return () => {
    changeListeners.delete(listener);
  };
}
