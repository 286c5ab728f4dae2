/** General: name (renames the folder on OK), OS type, free-text description. */
import { MenuItem, Stack, TextField } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { OS_TYPES } from '../../../main/common/vm-config';
import type { OsType } from '../../../main/common/vm-config';
import { problemAt } from '../../forms/problems';
import { useProblemText } from '../fields';
import type { TabProps } from './SettingsDialog';

export function GeneralTab({ draft, problems, patch }: TabProps) {
  const { t } = useTranslation();
  const problem = useProblemText();
  const nameError = problem(problemAt(problems, 'name'));
  const descError = problem(problemAt(problems, 'description'));
  return (
    <Stack spacing={2.5}>
      <TextField
        label={t('settings.name')}
        value={draft.name}
        onChange={(e) => patch((d) => ({ ...d, name: e.target.value }), 'name')}
        error={Boolean(nameError)}
        helperText={nameError ?? t('wizard.nameHelp')}
        slotProps={{ htmlInput: { 'data-testid': 'settings-name', spellCheck: false } }}
      />
      <TextField
        select
        label={t('settings.osType')}
        value={draft.osType}
        onChange={(e) => patch((d) => ({ ...d, osType: e.target.value as OsType }), 'osType')}
        slotProps={{ htmlInput: { 'data-testid': 'settings-os' } }}
      >
        {OS_TYPES.map((o) => (
          <MenuItem key={o} value={o}>
            {t(`os.${o}`)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        label={t('settings.description')}
        value={draft.description}
        multiline
        minRows={6}
        maxRows={14}
        onChange={(e) => patch((d) => ({ ...d, description: e.target.value }), 'description')}
        error={Boolean(descError)}
        helperText={descError ?? `${draft.description.length} / 4000`}
        slotProps={{ htmlInput: { 'data-testid': 'settings-description' } }}
      />
    </Stack>
  );
}
