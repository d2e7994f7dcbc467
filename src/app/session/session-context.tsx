// The session controller through context, as the cluster store is
// (store-context.tsx), with a narrow-selector hook on its UI state.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { SessionController, SessionUiState } from './session-controller';

const SessionContext = createContext<SessionController | null>(null);

export function SessionProvider({ controller, children }: { controller: SessionController; children: ReactNode }) {
  return <SessionContext.Provider value={controller}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionController {
  const c = useContext(SessionContext);
  if (!c) throw new Error('useSession: no session controller here. Wrap the component in <SessionProvider controller={new SessionController(store)}>.');
  return c;
}

export function useSessionUi<T>(selector: (s: SessionUiState) => T): T {
  return useStore(useSession().ui, selector);
}

export const selectConfirm = (s: SessionUiState) => s.confirm;
export const selectImportDialog = (s: SessionUiState) => s.importDialog;
