/** Who is signed in (tenant and role of the key), shared by every view through a context. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { WhoAmI } from './api.js';

export interface SessionInfo {
  who: WhoAmI;
  /** Development mode: the server answered without a key. */
  devMode: boolean;
}

export const Session = createContext<SessionInfo | null>(null);

export function useSession(): SessionInfo {
  const s = useContext(Session);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

export function canWrite(s: SessionInfo): boolean {
  return s.who.role === 'write' || s.who.role === 'admin';
}

export function isAdmin(s: SessionInfo): boolean {
  return s.who.role === 'admin';
}
