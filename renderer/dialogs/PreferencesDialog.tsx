/** Language and theme. Changes apply (and are saved through setPreferences) immediately. */
import { useState } from 'react';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
} from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { Language, Preferences, ThemePreference } from '../../main/common/api';
import { useAppContext } from '../app/prefs-context';
import { LANGUAGES } from '../i18n';

const THEMES: { value: ThemePreference; label: string }[] = [
  { value: 'system', label: 'prefs.themeSystem' },
  { value: 'light', label: 'prefs.themeLight' },
  { value: 'dark', label: 'prefs.themeDark' },
];

export function PreferencesDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const { prefs, updatePrefs } = useAppContext();
  const [failure, setFailure] = useState<string | null>(null);
  const update = (p: Partial<Preferences>) =>
    updatePrefs(p).then(
      () => setFailure(null),
      (e: unknown) => setFailure(e instanceof Error ? e.message : String(e)),
    );
  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="xs"
      aria-labelledby="prefs-title"
      slotProps={{ paper: { 'data-testid': 'prefs-dialog' } as object }}
    >
      <DialogTitle id="prefs-title">{t('prefs.title')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2.5} sx={{ pt: 1 }}>
          <TextField
            select
            label={t('prefs.language')}
            value={prefs.language}
            onChange={(e) => void update({ language: e.target.value as Language })}
            slotProps={{ htmlInput: { 'data-testid': 'prefs-language' } }}
          >
            {LANGUAGES.map((l) => (
              <MenuItem key={l} value={l} lang={l} data-testid={`prefs-language-${l}`}>
                {t(`language.${l}`)}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            label={t('prefs.theme')}
            value={prefs.theme}
            onChange={(e) => void update({ theme: e.target.value as ThemePreference })}
            slotProps={{ htmlInput: { 'data-testid': 'prefs-theme' } }}
          >
            {THEMES.map((x) => (
              <MenuItem key={x.value} value={x.value} data-testid={`prefs-theme-${x.value}`}>
                {t(x.label)}
              </MenuItem>
            ))}
          </TextField>
          {failure && <Alert severity="error">{failure}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2 }}>
        <Button onClick={onClose} variant="contained" data-testid="prefs-close">
          {t('common.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
