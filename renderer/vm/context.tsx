/** The runtime store of the current API, for every component that shows a running VM. */
import { createContext, useContext, useEffect, useMemo, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { useApi } from '../api/context';
import { RuntimeStore, type VmRuntime } from './runtime';

const Ctx = createContext<RuntimeStore | null>(null);

export function RuntimeProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const store = useMemo(() => new RuntimeStore(api), [api]);
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  return <Ctx.Provider value={store}>{children}</Ctx.Provider>;
}

export function useRuntime(name: string): VmRuntime {
  const store = useContext(Ctx);
  if (!store) throw new Error('useRuntime outside RuntimeProvider');
  return useSyncExternalStore(store.subscribe, () => store.get(name));
}
