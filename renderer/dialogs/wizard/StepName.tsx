/** Step 1: name, OS type and CPU preset (each preset described: chip, ISA level, limits). */
import {
  Box,
  FormControlLabel,
  FormLabel,
  MenuItem,
  Radio,
  RadioGroup,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useTranslation } from 'react-i18next';
import { OS_TYPES } from '../../../main/common/vm-config';
import type { OsType } from '../../../main/common/vm-config';
import { CPU_MODELS } from '../../../emulator/cpu/models';
import type { CpuModelId } from '../../../emulator/cpu/models';
import { withPreset } from '../../forms/new-vm';
import { useProblemText } from '../fields';
import { PresetSummary } from './PresetSummary';
import type { StepProps } from './NewVmWizard';

export function StepName({ form, errors, change, setForm }: StepProps) {
  const { t } = useTranslation();
  const problem = useProblemText();
  return (
    <Stack spacing={2.5}>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '3fr 2fr' }, gap: 2 }}>
        <TextField
          label={t('wizard.name')}
          value={form.name}
          autoFocus
          required
          onChange={(e) => change({ name: e.target.value }, ['name'])}
          error={Boolean(errors.name)}
          helperText={problem(errors.name) ?? t('wizard.nameHelp')}
          slotProps={{ htmlInput: { 'data-testid': 'wizard-name', spellCheck: false } }}
        />
        <TextField
          select
          label={t('wizard.osType')}
          value={form.osType}
          onChange={(e) => change({ osType: e.target.value as OsType }, ['osType'])}
          slotProps={{ htmlInput: { 'data-testid': 'wizard-os' } }}
        >
          {OS_TYPES.map((o) => (
            <MenuItem key={o} value={o}>
              {t(`os.${o}`)}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Box>
        <FormLabel id="wizard-preset-label">{t('wizard.cpuModel')}</FormLabel>
        <RadioGroup
          aria-labelledby="wizard-preset-label"
          value={form.cpuModel}
          onChange={(e) => setForm(withPreset(form, e.target.value as CpuModelId), ['cpuModel'])}
          data-testid="wizard-preset"
          sx={{ mt: 1, display: 'grid', gap: 1, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}
        >
          {CPU_MODELS.map((m) => (
            <FormControlLabel
              key={m.id}
              value={m.id}
              control={
                <Radio
                  size="small"
                  slotProps={{ input: { 'data-testid': `wizard-preset-${m.id}` } as object }}
                />
              }
              sx={{
                m: 0,
                pr: 1.5,
                py: 0.5,
                border: 1,
                borderRadius: 1,
                borderColor: form.cpuModel === m.id ? 'primary.main' : 'divider',
                bgcolor: form.cpuModel === m.id ? 'action.selected' : 'transparent',
                alignItems: 'flex-start',
                '& .MuiRadio-root': { mt: 0.25 },
              }}
              label={
                <Box sx={{ py: 0.5 }}>
                  <Typography sx={{ fontWeight: 600 }}>{m.name}</Typography>
                  <PresetSummary id={m.id} />
                  <Typography sx={{ color: '%s' }} variant="body2">
                    {t(`cpuPreset.${m.id}`)}
                  </Typography>
                </Box>
              }
            />
          ))}
        </RadioGroup>
      </Box>
    </Stack>
  );
}
