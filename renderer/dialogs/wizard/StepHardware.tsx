/**
 * Step 2: vCPUs and memory, each a slider plus an exact number field, limited by the preset.
 * The memory slider is logarithmic (powers of two): 16 MiB … 256 GiB on a linear scale would
 * make every everyday size a sliver at the left end.
 */
import { Box, Slider, Stack, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { cpuModel } from '../../../emulator/cpu/models';
import { formatMiB } from '../../forms/vm-config-form';
import { NumberField, useProblemText } from '../fields';
import type { StepProps } from './NewVmWizard';

export function StepHardware({ form, errors, change }: StepProps) {
  const { t } = useTranslation();
  const problem = useProblemText();
  const m = cpuModel(form.cpuModel);
  const size = (mib: number) => {
    const f = formatMiB(mib);
    return t(f.key, { value: f.value });
  };
  const lo = Math.log2(m.minRamMiB);
  const hi = Math.log2(m.maxRamMiB);
  const memLog =
    Number.isFinite(form.memoryMiB) && form.memoryMiB > 0 ? Math.log2(form.memoryMiB) : lo;
  const marks = [lo, Math.round((lo + hi) / 2), hi].map((v) => ({ value: v, label: size(2 ** v) }));

  return (
    <Stack spacing={4} sx={{ pt: 1 }}>
      <Box>
        <Typography id="wizard-cpus-label" sx={{ fontWeight: 500, mb: 1 }}>
          {t('wizard.vcpus')}
        </Typography>
        <Box sx={{ display: 'flex', gap: 3, alignItems: 'flex-start' }}>
          <Slider
            aria-labelledby="wizard-cpus-label"
            min={1}
            max={m.maxCpus}
            step={1}
            marks={[
              { value: 1, label: '1' },
              { value: m.maxCpus, label: String(m.maxCpus) },
            ]}
            value={Number.isFinite(form.cpuCount) ? form.cpuCount : 1}
            onChange={(_, v) => change({ cpuCount: v as number }, ['cpuCount'])}
            valueLabelDisplay="auto"
            sx={{ flex: 1, mx: 1 }}
          />
          <NumberField
            label={t('wizard.vcpus')}
            value={form.cpuCount}
            onChange={(v) => change({ cpuCount: v }, ['cpuCount'])}
            error={Boolean(errors.cpuCount)}
            helperText={
              problem(errors.cpuCount) ?? t('wizard.vcpusHelp', { max: m.maxCpus, chip: m.name })
            }
            testId="wizard-cpus"
            sx={{ width: 220 }}
          />
        </Box>
      </Box>
      <Box>
        <Typography id="wizard-mem-label" sx={{ fontWeight: 500, mb: 1 }}>
          {t('wizard.memory')}
        </Typography>
        <Box sx={{ display: 'flex', gap: 3, alignItems: 'flex-start' }}>
          <Slider
            aria-labelledby="wizard-mem-label"
            min={lo}
            max={hi}
            step={1}
            marks={marks}
            value={Math.min(hi, Math.max(lo, memLog))}
            scale={(v) => 2 ** v}
            valueLabelFormat={(v) => size(v)}
            getAriaValueText={(v) => size(2 ** v)}
            onChange={(_, v) => change({ memoryMiB: 2 ** (v as number) }, ['memoryMiB'])}
            valueLabelDisplay="auto"
            sx={{ flex: 1, mx: 1 }}
          />
          <NumberField
            label={t('settings.memory')}
            value={form.memoryMiB}
            onChange={(v) => change({ memoryMiB: v }, ['memoryMiB'])}
            error={Boolean(errors.memoryMiB)}
            helperText={
              problem(errors.memoryMiB) ??
              t('wizard.memoryHelp', {
                min: size(m.minRamMiB),
                max: size(m.maxRamMiB),
                chip: m.name,
              })
            }
            testId="wizard-memory"
            sx={{ width: 220 }}
          />
        </Box>
      </Box>
    </Stack>
  );
}
