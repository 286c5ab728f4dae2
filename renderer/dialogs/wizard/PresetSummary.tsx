/** One line of facts about a CPU preset: chip, ISA level, vCPU and RAM limits. */
import { Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { cpuModel } from '../../../emulator/cpu/models';
import type { CpuModelId } from '../../../emulator/cpu/models';
import { formatMiB } from '../../forms/vm-config-form';

export function PresetSummary({ id }: { id: CpuModelId }) {
  const { t } = useTranslation();
  const m = cpuModel(id);
  const size = (mib: number) => {
    const f = formatMiB(mib);
    return t(f.key, { value: f.value });
  };
  return (
    <Typography
      variant="body2"
      sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums' }}
    >
      {t('cpuPreset.summary', {
        iset: m.iset,
        maxCpus: m.maxCpus,
        minRam: size(m.minRamMiB),
        maxRam: size(m.maxRamMiB),
      })}
    </Typography>
  );
}
