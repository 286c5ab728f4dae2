/**
 * Loads app info and preferences, then provides language, theme and the connection banner
 * around the main window. Theme 'system' follows prefers-color-scheme live.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Box,
  CircularProgress,
  CssBaseline,
  ThemeProvider,
  Typography,
  useMediaQuery,
} from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { AppInfo, Preferences } from '../../main/common/api';
import { useApi, useConnectionState } from '../api/context';
import { setLanguage } from '../i18n';
import { createAppTheme } from '../theme/theme';
import { App } from './App';
import { RuntimeProvider } from '../vm/context';
import { ConnectionBanner } from './ConnectionBanner';
import { AppContext } from './prefs-context';
import type { AppContextValue } from './prefs-context';

export function Root() {
  const api = useApi();
  const { t } = useTranslation();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const connection = useConnectionState();
  const systemDark = useMediaQuery('(prefers-color-scheme: dark)');

  useEffect(() => {
    let live = true;
    Promise.all([api.getAppInfo(), api.getPreferences()]).then(
      async ([i, p]) => {
        await setLanguage(p.language);
        if (!live) return;
        setInfo(i);
        setPrefs(p);
      },
      (e: unknown) => live && setFailure(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const updatePrefs = useCallback(
    async (p: Partial<Preferences>) => {
      const next = await api.setPreferences(p);
      await setLanguage(next.language);
      setPrefs(next);
    },
    [api],
  );

  const mode =
    prefs?.theme === 'light' || prefs?.theme === 'dark'
      ? prefs.theme
      : systemDark
        ? 'dark'
        : 'light';
  const theme = useMemo(() => createAppTheme(mode), [mode]);
  const ctx = useMemo<AppContextValue | null>(
    () => (info && prefs ? { info, prefs, updatePrefs } : null),
    [info, prefs, updatePrefs],
  );

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <Box sx={{ height: '100vh', display: 'flex', flexDirection: 'column' }}>
        <ConnectionBanner />
        {ctx ? (
          <AppContext.Provider value={ctx}>
            <RuntimeProvider>
              <App />
            </RuntimeProvider>
          </AppContext.Provider>
        ) : failure ? (
          <Alert severity="error" sx={{ m: 2 }}>
            {t('app.startFailed', { message: failure })}
          </Alert>
        ) : (
          <Box
            sx={{
              flex: 1,
              display: 'flex',
              flexDirection: 'column',
              alignItems: 'center',
              justifyContent: 'center',
              gap: 2,
            }}
            aria-busy="true"
          >
            <CircularProgress />
            <Typography sx={{ color: '%s' }} role="status">
              {connection === 'connecting' ? t('app.connecting') : t('app.loading')}
            </Typography>
          </Box>
        )}
      </Box>
    </ThemeProvider>
  );
}
