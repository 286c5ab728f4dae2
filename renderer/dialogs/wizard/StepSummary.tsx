/** Step 4: everything the machine will get, for a last look before Create. */
import { Box, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { cpuModel } from '../../../emulator/cpu/models';
import { Facts } from '../../details/Section';
import { formatMiB } from '../../forms/vm-config-form';
import { toNewVmInput } from '../../forms/new-vm';
import type { StepProps } from './NewVmWizard';

export function StepSummary({ form }: StepProps) {
  const { t } = useTranslation();
  const m = cpuModel(form.cpuModel);
  const mem = formatMiB(form.memoryMiB);
  const input = toNewVmInput(form);
  const storage = input.storage ?? [];
  return (
    <Box data-testid="wizard-summary">
      <Typography variant="h6" component="h3" sx={{ mb: 2, overflowWrap: 'anywhere' }}>
        {form.name}
      </Typography>
      <Facts
        rows={[
          [t('details.osType'), t(`os.${form.osType}`)],
          [t('details.cpu'), t('details.cpuValue', { name: m.name, iset: m.iset })],
          [t('details.vcpus'), String(form.cpuCount)],
          [t('details.memory'), t(mem.key, { value: mem.value })],
          [
            t('details.storage'),
            storage.length === 0
              ? t('wizard.summaryNone')
              : storage.map((s) => (
                  <Box key={s.slot}>
                    {s.slot} · {t(`medium.${s.type}`)} ·{' '}
                    <Box component="span" sx={{ fontFamily: 'monospace' }}>
                      {s.path}
                    </Box>
                  </Box>
                )),
          ],
          [t('details.bootOrder'), t(`boot.${(input.bootOrder ?? []).join(',') || 'none'}`)],
        ]}
      />
    </Box>
  );
}
