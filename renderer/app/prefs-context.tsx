/** Preferences and app info, loaded once by Root and shared with the dialogs that need them. */
import { createContext, useContext } from 'react';
import type { AppInfo, Preferences } from '../../main/common/api';

export interface AppContextValue {
  info: AppInfo;
  prefs: Preferences;
  /** Persists through api.setPreferences and applies the result (language, theme). */
  updatePrefs(p: Partial<Preferences>): Promise<void>;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useAppContext(): AppContextValue {
  const v = useContext(AppContext);
  if (!v) throw new Error('useAppContext outside AppContext');
  return v;
}
