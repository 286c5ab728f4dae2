/** The VM list, re-read whenever main reports a library change. */
import { useEffect, useState } from 'react';
import type { VmEntry } from '../../main/common/api';
import { useApi } from '../api/context';

export function entryName(e: VmEntry): string {
  return e.kind === 'ok' ? e.config.name : e.name;
}

export function useLibrary() {
  const api = useApi();
  const [entries, setEntries] = useState<VmEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    // Bursts of changes send overlapping requests; only the newest answer may win.
    let latest = 0;
    const load = () => {
      const seq = ++latest;
      api.listVms().then(
        (list) => {
          if (!live || seq !== latest) return;
          setEntries(list);
          setError(null);
        },
        (e: unknown) => {
          if (live && seq === latest) setError(e instanceof Error ? e.message : String(e));
        },
      );
    };
    load();
    const off = api.onLibraryChanged(load);
    // The list shows each VM's state: re-read when one changes.
    const offState = api.onVmState(load);
    return () => {
      live = false;
      off();
      offState();
    };
  }, [api]);

  return { entries, error };
}
