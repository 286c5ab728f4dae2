/** Step 3: no disk or an existing image, plus an optional installer ISO as an optical drive. */
import {
  Box,
  Checkbox,
  FormControlLabel,
  Radio,
  RadioGroup,
  Stack,
  Typography,
} from '@mui/material';
import { useTranslation } from 'react-i18next';
import { PathField, usePickOptions, useProblemText } from '../fields';
import type { StepProps } from './NewVmWizard';

export function StepStorage({ form, errors, change }: StepProps) {
  const { t } = useTranslation();
  const problem = useProblemText();
  const pick = usePickOptions();
  return (
    <Stack spacing={2}>
      <RadioGroup
        value={form.useDisk ? 'existing' : 'none'}
        onChange={(e) => change({ useDisk: e.target.value === 'existing' }, [])}
        data-testid="wizard-disk-choice"
      >
        <FormControlLabel
          value="none"
          control={<Radio slotProps={{ input: { 'data-testid': 'wizard-no-disk' } as object }} />}
          label={
            <Box>
              <Typography>{t('wizard.noDisk')}</Typography>
              <Typography sx={{ color: '%s' }} variant="body2">
                {t('wizard.noDiskHelp')}
              </Typography>
            </Box>
          }
          sx={{ alignItems: 'flex-start', mb: 1, '& .MuiRadio-root': { mt: -0.75 } }}
        />
        <FormControlLabel
          value="existing"
          control={
            <Radio slotProps={{ input: { 'data-testid': 'wizard-existing-disk' } as object }} />
          }
          label={t('wizard.existingDisk')}
        />
      </RadioGroup>
      {form.useDisk && (
        <Box sx={{ pl: 4 }}>
          <PathField
            label={t('wizard.diskPath')}
            value={form.diskPath}
            onChange={(v) => change({ diskPath: v }, ['disk'])}
            error={problem(errors.disk)}
            helperText={t('wizard.pathHelp')}
            pick={pick.disk}
            testId="wizard-disk-path"
            autoFocus
          />
        </Box>
      )}
      <FormControlLabel
        control={
          <Checkbox
            checked={form.useIso}
            onChange={(e) => change({ useIso: e.target.checked }, [])}
            slotProps={{ input: { 'data-testid': 'wizard-use-iso' } as object }}
          />
        }
        label={t('wizard.addIso')}
      />
      {form.useIso && (
        <Box sx={{ pl: 4 }}>
          <PathField
            label={t('wizard.isoPath')}
            value={form.isoPath}
            onChange={(v) => change({ isoPath: v }, ['iso'])}
            error={problem(errors.iso)}
            helperText={t('wizard.pathHelp')}
            pick={pick.iso}
            testId="wizard-iso-path"
          />
        </Box>
      )}
    </Stack>
  );
}
