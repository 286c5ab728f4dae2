/** Hands the API (and the connection health, if any) to components without prop drilling. */
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import type { GlaunchApi } from '../../main/common/api';
import type { ConnectionSource, ConnectionState } from './connection';
import type { Transport } from './transport';

const ApiContext = createContext<Transport | null>(null);

export function ApiProvider({
  transport,
  children,
}: {
  transport: Transport;
  children: ReactNode;
}) {
  return <ApiContext.Provider value={transport}>{children}</ApiContext.Provider>;
}

function useTransport(): Transport {
  const t = useContext(ApiContext);
  if (!t) throw new Error('useApi outside ApiProvider');
  return t;
}

export function useApi(): GlaunchApi {
  return useTransport().api;
}

/** 'open' when there is no connection to lose (Electron). */
export function useConnectionState(): ConnectionState {
  const source: ConnectionSource | null = useTransport().connection;
  const subscribe = useCallback(
    (notify: () => void) => (source ? source.onStateChange(notify) : () => {}),
    [source],
  );
  return useSyncExternalStore(subscribe, () => source?.state ?? 'open');
}
