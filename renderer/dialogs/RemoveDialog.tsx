/**
 * Remove: from the library only (the default, nothing is lost) or with all files. An
 * inaccessible machine can only be removed from the library: we never touch files we could
 * not even read.
 */
import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Radio,
  RadioGroup,
  Typography,
} from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { VmEntry } from '../../main/common/api';
import { useApi } from '../api/context';
import { entryName } from '../app/useLibrary';

interface Props {
  entry: VmEntry;
  onClose(): void;
  onRemoved(): void;
}

export function RemoveDialog({ entry, onClose, onRemoved }: Props) {
  const api = useApi();
  const { t } = useTranslation();
  const name = entryName(entry);
  const canDelete = entry.kind === 'ok';
  const [choice, setChoice] = useState<'library' | 'files'>('library');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const deleting = canDelete && choice === 'files';

  const remove = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await api.deleteVm(name, { deleteFiles: deleting });
      onRemoved();
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const option = (value: 'library' | 'files', label: string, help: string) => (
    <FormControlLabel
      value={value}
      sx={{ alignItems: 'flex-start', mb: 1 }}
      control={
        <Radio
          slotProps={{ input: { 'data-testid': `remove-${value}` } as object }}
          sx={{ mt: -0.75 }}
        />
      }
      label={
        <Box>
          <Typography>{label}</Typography>
          <Typography sx={{ color: '%s' }} variant="body2">
            {help}
          </Typography>
        </Box>
      }
    />
  );

  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="remove-title"
      slotProps={{ paper: { 'data-testid': 'remove-dialog' } as object }}
    >
      <DialogTitle id="remove-title" sx={{ overflowWrap: 'anywhere' }}>
        {t('remove.title', { name })}
      </DialogTitle>
      <DialogContent>
        {canDelete ? (
          <RadioGroup
            value={choice}
            onChange={(e) => setChoice(e.target.value as 'library' | 'files')}
          >
            {option('library', t('remove.libraryOnly'), t('remove.libraryOnlyHelp'))}
            {option('files', t('remove.deleteFiles'), t('remove.deleteFilesHelp'))}
          </RadioGroup>
        ) : (
          <Typography sx={{ mb: 1 }}>{t('remove.inaccessibleNote')}</Typography>
        )}
        {deleting && (
          <Alert severity="error" variant="outlined" sx={{ mt: 1 }}>
            {t('remove.warning')}
          </Alert>
        )}
        {failure && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {failure}
          </Alert>
        )}
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2 }}>
        <Button onClick={onClose} disabled={busy} autoFocus>
          {t('common.cancel')}
        </Button>
        <Button
          variant="contained"
          color={deleting ? 'error' : 'primary'}
          onClick={() => void remove()}
          disabled={busy}
          data-testid="remove-ok"
        >
          {busy ? t('common.working') : deleting ? t('remove.confirmDelete') : t('remove.confirm')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
