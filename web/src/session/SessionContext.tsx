import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, call } from '../api/client';
import type { components } from '../api/generated/schema';
import { session } from './session';
import { can, type Permission, type Role } from './permissions';

export type Me = components['schemas']['MeResponseDto'];

interface SessionValue {
  /** The signed-in account and tenant; undefined while signed out or loading. */
  me: Me | undefined;
  signedIn: boolean;
  /** Why the last session ended, for the sign-in page ("expired"). */
  endedBecause: 'expired' | 'signed-out' | undefined;
  signIn: (accessToken: string) => Promise<void>;
  signOut: () => void;
  can: (permission: Permission) => boolean;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me>();
  const [signedIn, setSignedIn] = useState(() => session.token() !== null);
  const [endedBecause, setEndedBecause] = useState<SessionValue['endedBecause']>();

  const loadMe = useCallback(async () => {
    if (!session.token()) return;
    try {
      setMe(await call(api.GET('/api/auth/me')));
    } catch {
      // A 401 already ended the session (client middleware); anything else: try on next load.
    }
  }, []);

  useEffect(() => {
    void loadMe();
    return session.subscribe((reason) => {
      setSignedIn(session.token() !== null);
      if (reason === 'signed-in') {
        setEndedBecause(undefined);
        void loadMe();
      } else {
        setMe(undefined);
        setEndedBecause(reason);
      }
    });
  }, [loadMe]);

  const value: SessionValue = {
    me,
    signedIn,
    endedBecause,
    signIn: async (token) => {
      session.signIn(token);
      await loadMe();
    },
    signOut: () => session.signOut(),
    can: (permission) => can(me?.user.role as Role | undefined, permission),
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
