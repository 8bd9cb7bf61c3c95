/**
 * Who is signed in. The profile (`GET /me`) is kept on the device too, so the field app opens
 * offline with the volunteer's name, role and language.
 */
import { createContext, ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { api, logout as apiLogout, NetworkError } from './api/client';
import { loadSession, onSessionChange } from './api/session';
import { Language, LANGUAGES, savedLanguage, setLanguage } from './i18n';

export type Role = 'organizer' | 'coordinator' | 'volunteer';

export interface Me {
  id: string;
  email: string;
  displayName: string;
  language: string;
  phone: string | null;
  organizationId: string;
  role: Role;
  memberships: { organizationId: string; organizationName: string; role: Role }[];
}

const ME_KEY = 'porchlight.me';
const CHOSEN_KEY = 'porchlight.language.signedInWith';

/**
 * The language of the login page (the phone's, unless the person switched it) as they sign in:
 * the app keeps it rather than switching to the one their account had, and saves it to their
 * account (reminders use it). Null: the sign-in failed, forget it.
 */
export function signingInWith(lang: string | null): void {
  if (lang && (LANGUAGES as readonly string[]).includes(lang)) localStorage.setItem(CHOSEN_KEY, lang);
  else localStorage.removeItem(CHOSEN_KEY);
}

interface AuthState {
  signedIn: boolean;
  me: Me | null;
  /** True while the first profile load is under way. */
  loading: boolean;
  reload: () => Promise<void>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

function cachedMe(): Me | null {
  try {
    return JSON.parse(localStorage.getItem(ME_KEY) ?? 'null') as Me | null;
  } catch {
    return null;
  }
}

/** The profile from the server, kept on the device; null when offline. */
async function fetchMe(): Promise<Me | null> {
  if (!loadSession()) return null;
  try {
    let next = await api<Me>('GET', '/me');
    const chosen = localStorage.getItem(CHOSEN_KEY) as Language | null;
    if (chosen && (LANGUAGES as readonly string[]).includes(chosen)) {
      localStorage.removeItem(CHOSEN_KEY);
      setLanguage(chosen);
      if (chosen !== next.language) next = await api<Me>('PATCH', '/me', { body: { language: chosen } }).catch(() => next);
    } else if (!savedLanguage() && (LANGUAGES as readonly string[]).includes(next.language)) setLanguage(next.language as Language, false);
    localStorage.setItem(ME_KEY, JSON.stringify(next));
    return next;
  } catch (err) {
    if (err instanceof NetworkError) return null;
    throw err;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [signedIn, setSignedIn] = useState(() => loadSession() !== null);
  const [me, setMe] = useState<Me | null>(() => (loadSession() ? cachedMe() : null));
  const [loading, setLoading] = useState(signedIn && me === null);

  const reload = useCallback(async () => {
    const next = await fetchMe();
    if (next) setMe(next);
  }, []);

  useEffect(
    () =>
      onSessionChange((s) => {
        setSignedIn(s !== null);
        if (!s) {
          localStorage.removeItem(ME_KEY);
          setMe(null);
        }
      }),
    [],
  );
  useEffect(() => {
    if (!signedIn) return;
    let live = true;
    fetchMe().then(
      (next) => {
        if (!live) return;
        if (next) setMe(next);
        setLoading(false);
      },
      () => live && setLoading(false),
    );
    return () => {
      live = false;
    };
  }, [signedIn]);

  const signOut = useCallback(async () => {
    await apiLogout();
    localStorage.removeItem(ME_KEY);
    setMe(null);
  }, []);

  return <AuthContext.Provider value={{ signedIn, me, loading, reload, signOut }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
