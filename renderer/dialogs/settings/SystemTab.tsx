/** System: CPU preset (limits follow it), vCPUs, memory and boot order. */
import { MenuItem, Stack, TextField } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { CPU_MODELS, cpuModel } from '../../../emulator/cpu/models';
import type { CpuModelId } from '../../../emulator/cpu/models';
import { problemAt } from '../../forms/problems';
import {
  BOOT_ORDER_CHOICES,
  bootChoiceOf,
  bootOrderOf,
  formatMiB,
} from '../../forms/vm-config-form';
import type { BootOrderChoice } from '../../forms/vm-config-form';
import { NumberField, useProblemText } from '../fields';
import { PresetSummary } from '../wizard/PresetSummary';
import type { TabProps } from './SettingsDialog';

export function SystemTab({ draft, problems, patch }: TabProps) {
  const { t } = useTranslation();
  const problem = useProblemText();
  const m = cpuModel(draft.cpu.model);
  const size = (mib: number) => {
    const f = formatMiB(mib);
    return t(f.key, { value: f.value });
  };
  const countError = problem(problemAt(problems, 'cpu.count'));
  const memError = problem(problemAt(problems, 'memoryMiB'));
  const bootError = problem(problems.find((p) => p.field.startsWith('bootOrder'))?.message);
  return (
    <Stack spacing={2.5}>
      <TextField
        select
        label={t('settings.cpuModel')}
        value={draft.cpu.model}
        onChange={(e) =>
          patch((d) => ({ ...d, cpu: { ...d.cpu, model: e.target.value as CpuModelId } }), 'cpu')
        }
        helperText={<PresetSummary id={draft.cpu.model} />}
        slotProps={{ htmlInput: { 'data-testid': 'settings-cpu-model' } }}
      >
        {CPU_MODELS.map((x) => (
          <MenuItem key={x.id} value={x.id}>
            {t('details.cpuValue', { name: x.name, iset: x.iset })}
          </MenuItem>
        ))}
      </TextField>
      <NumberField
        label={t('settings.vcpus')}
        value={draft.cpu.count}
        onChange={(v) => patch((d) => ({ ...d, cpu: { ...d.cpu, count: v } }), 'cpu.count')}
        error={Boolean(countError)}
        helperText={countError ?? t('wizard.vcpusHelp', { max: m.maxCpus, chip: m.name })}
        testId="settings-cpus"
      />
      <NumberField
        label={t('settings.memory')}
        value={draft.memoryMiB}
        onChange={(v) => patch((d) => ({ ...d, memoryMiB: v }), 'memoryMiB')}
        error={Boolean(memError)}
        helperText={
          memError ??
          t('wizard.memoryHelp', { min: size(m.minRamMiB), max: size(m.maxRamMiB), chip: m.name })
        }
        testId="settings-memory"
      />
      <TextField
        select
        label={t('settings.bootOrder')}
        value={bootChoiceOf(draft.bootOrder)}
        onChange={(e) =>
          patch(
            (d) => ({ ...d, bootOrder: bootOrderOf(e.target.value as BootOrderChoice) }),
            'bootOrder',
          )
        }
        error={Boolean(bootError)}
        helperText={bootError}
        slotProps={{ htmlInput: { 'data-testid': 'settings-boot-order' } }}
      >
        {BOOT_ORDER_CHOICES.map((c) => (
          <MenuItem key={c} value={c}>
            {t(`boot.${c}`)}
          </MenuItem>
        ))}
      </TextField>
    </Stack>
  );
}
