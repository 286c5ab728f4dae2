/**
 * Storage: the virtio block devices (vda … vdd). Each attachment has a slot, a medium type,
 * an image path and a read-only switch (forced on for optical media, as the schema requires).
 */
import {
  Box,
  Button,
  FormControlLabel,
  IconButton,
  MenuItem,
  Paper,
  Stack,
  Switch,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/DeleteOutlined';
import { useTranslation } from 'react-i18next';
import { MEDIUM_TYPES, STORAGE_SLOTS } from '../../../main/common/vm-config';
import type { StorageAttachment, VmConfig } from '../../../main/common/vm-config';
import { problemAt } from '../../forms/problems';
import { PathField, usePickOptions, useProblemText } from '../fields';
import type { TabProps } from './SettingsDialog';

export function StorageTab({ draft, problems, patch }: TabProps) {
  const { t } = useTranslation();
  const problem = useProblemText();
  const pick = usePickOptions();
  const at = (i: number, f: string) => problem(problemAt(problems, `storage.${i}.${f}`));

  const edit = (i: number, change: Partial<StorageAttachment>) =>
    patch(
      (d) => ({
        ...d,
        storage: d.storage.map((s, j) => {
          if (j !== i) return s;
          const next = { ...s, ...change };
          return next.type === 'optical' ? { ...next, readOnly: true } : next;
        }),
      }),
      `storage.${i}`,
    );
  const add = () =>
    patch((d: VmConfig) => {
      const free = STORAGE_SLOTS.find((slot) => !d.storage.some((s) => s.slot === slot)) ?? 'vda';
      return {
        ...d,
        storage: [...d.storage, { slot: free, type: 'disk', path: '', readOnly: false }],
      };
    }, 'storage');
  const remove = (i: number) =>
    patch((d) => ({ ...d, storage: d.storage.filter((_, j) => j !== i) }), 'storage');

  const listError = problem(problemAt(problems, 'storage'));
  return (
    <Stack spacing={2}>
      <Typography sx={{ color: '%s' }} variant="body2">
        {t('settings.storageHelp')}
      </Typography>
      {draft.storage.length === 0 && (
        <Typography sx={{ color: '%s' }}>{t('settings.noAttachments')}</Typography>
      )}
      {draft.storage.map((s, i) => (
        <Paper
          key={i}
          variant="outlined"
          sx={{ bgcolor: 'transparent', p: 2 }}
          data-testid={`settings-storage-${i}`}
        >
          <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'flex-start', mb: 1.5 }}>
            <TextField
              select
              label={t('settings.slot')}
              value={s.slot}
              onChange={(e) => edit(i, { slot: e.target.value as StorageAttachment['slot'] })}
              error={Boolean(at(i, 'slot'))}
              helperText={at(i, 'slot')}
              sx={{ width: 110 }}
              slotProps={{ htmlInput: { 'data-testid': `settings-storage-${i}-slot` } }}
            >
              {STORAGE_SLOTS.map((x) => (
                <MenuItem key={x} value={x}>
                  {x}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              label={t('settings.type')}
              value={s.type}
              onChange={(e) => edit(i, { type: e.target.value as StorageAttachment['type'] })}
              sx={{ width: 180 }}
              slotProps={{ htmlInput: { 'data-testid': `settings-storage-${i}-type` } }}
            >
              {MEDIUM_TYPES.map((x) => (
                <MenuItem key={x} value={x}>
                  {t(`medium.${x}`)}
                </MenuItem>
              ))}
            </TextField>
            <FormControlLabel
              sx={{ mt: 1 }}
              control={
                <Switch
                  checked={s.readOnly}
                  disabled={s.type === 'optical'}
                  onChange={(e) => edit(i, { readOnly: e.target.checked })}
                />
              }
              label={t('settings.readOnly')}
            />
            <Box sx={{ flex: 1 }} />
            <Tooltip title={t('settings.removeAttachment', { slot: s.slot })}>
              <IconButton
                onClick={() => remove(i)}
                aria-label={t('settings.removeAttachment', { slot: s.slot })}
                data-testid={`settings-storage-${i}-remove`}
                sx={{ mt: 0.5 }}
              >
                <DeleteIcon />
              </IconButton>
            </Tooltip>
          </Box>
          <PathField
            label={t('settings.path')}
            value={s.path}
            onChange={(v) => edit(i, { path: v })}
            error={at(i, 'path')}
            helperText={t('wizard.pathHelp')}
            pick={s.type === 'optical' ? pick.iso : pick.disk}
            testId={`settings-storage-${i}-path`}
          />
          {at(i, 'readOnly') && (
            <Typography variant="body2" sx={{ color: 'error.main', mt: 1 }}>
              {at(i, 'readOnly')}
            </Typography>
          )}
        </Paper>
      ))}
      {listError && <Typography sx={{ color: '%s' }}>{listError}</Typography>}
      <Box>
        <Button
          startIcon={<AddIcon />}
          onClick={add}
          disabled={draft.storage.length >= STORAGE_SLOTS.length}
          data-testid="settings-storage-add"
        >
          {t('settings.addAttachment')}
        </Button>
      </Box>
    </Stack>
  );
}
