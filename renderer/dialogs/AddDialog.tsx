/**
 * Add an existing machine: main copies a folder holding a vm.json into the library. The native
 * dialog picks files, not folders, so there the user picks the vm.json and we take its folder.
 */
import { useState } from 'react';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
} from '@mui/material';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/context';
import { entryName } from '../app/useLibrary';
import { folderOf } from '../forms/paths';
import { PathField, useProblemText } from './fields';

interface Props {
  onClose(): void;
  onAdded(name: string): void;
}

export function AddDialog({ onClose, onAdded }: Props) {
  const api = useApi();
  const { t } = useTranslation();
  const problem = useProblemText();
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async () => {
    if (!path.trim()) return setError(t('add.required'));
    setBusy(true);
    setError(null);
    try {
      const entry = await api.importVm(folderOf(path.trim()));
      onAdded(entryName(entry));
    } catch (e) {
      // Main's message names the folder and the problem ("already inside the library", ...).
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="add-title"
      slotProps={{
        paper: {
          'data-testid': 'add-dialog',
          component: 'form',
          onSubmit: (e: React.FormEvent) => {
            e.preventDefault();
            if (!busy) void add();
          },
        } as object,
      }}
    >
      <DialogTitle id="add-title">{t('add.title')}</DialogTitle>
      <DialogContent>
        <Typography sx={{ color: 'text.secondary', mb: 2 }}>{t('add.help')}</Typography>
        <PathField
          label={t('add.folder')}
          value={path}
          onChange={(v) => {
            setPath(folderOf(v));
            setError(null);
          }}
          error={problem(error ?? undefined)}
          helperText={t('add.folderHelp')}
          pick={{ title: t('add.pick'), filters: [{ name: 'vm.json', extensions: ['json'] }] }}
          testId="add-path"
          autoFocus
        />
        {busy && (
          <Alert severity="info" sx={{ mt: 2 }}>
            {t('common.working')}
          </Alert>
        )}
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2 }}>
        <Button onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" variant="contained" disabled={busy} data-testid="add-ok">
          {t('add.add')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
