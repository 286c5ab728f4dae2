/** Clone: asks for the copy's name (validated like any VM name) and calls cloneVm. */
import { useState } from 'react';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
  Typography,
} from '@mui/material';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../main/common/api-error';
import { vmNameSchema } from '../../main/common/vm-config';
import { useApi } from '../api/context';
import { nameClash } from '../forms/new-vm';
import { useProblemText } from './fields';

interface Props {
  name: string;
  taken: readonly string[];
  onClose(): void;
  onCloned(newName: string): void;
}

export function CloneDialog({ name, taken, onClose, onCloned }: Props) {
  const api = useApi();
  const { t } = useTranslation();
  const problem = useProblemText();
  const [newName, setNewName] = useState(() => t('clone.defaultName', { name }));
  const [serverError, setServerError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const parsed = vmNameSchema.safeParse(newName);
  const localError = parsed.success
    ? nameClash(newName, taken)?.message
    : parsed.error.issues[0].message;
  const error = problem(serverError ?? localError);

  const clone = async () => {
    if (localError) return;
    setBusy(true);
    setFailure(null);
    try {
      const c = await api.cloneVm(name, newName);
      onCloned(c.name);
    } catch (e) {
      if (e instanceof ApiError && e.problems?.length) setServerError(e.problems[0].message);
      else setFailure(e instanceof Error ? e.message : String(e));
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
      aria-labelledby="clone-title"
      slotProps={{
        paper: {
          'data-testid': 'clone-dialog',
          component: 'form',
          onSubmit: (e: React.FormEvent) => {
            e.preventDefault();
            if (!busy) void clone();
          },
        } as object,
      }}
    >
      <DialogTitle id="clone-title" sx={{ overflowWrap: 'anywhere' }}>
        {t('clone.title', { name })}
      </DialogTitle>
      <DialogContent>
        <Typography sx={{ color: 'text.secondary', mb: 2 }}>{t('clone.help')}</Typography>
        <TextField
          fullWidth
          autoFocus
          label={t('clone.name')}
          value={newName}
          onChange={(e) => {
            setNewName(e.target.value);
            setServerError(null);
          }}
          error={Boolean(error)}
          helperText={error ?? ' '}
          slotProps={{ htmlInput: { 'data-testid': 'clone-name', spellCheck: false } }}
        />
        {failure && <Alert severity="error">{failure}</Alert>}
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2 }}>
        <Button onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </Button>
        <Button
          type="submit"
          variant="contained"
          disabled={busy || Boolean(localError)}
          data-testid="clone-ok"
        >
          {busy ? t('common.working') : t('clone.clone')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
