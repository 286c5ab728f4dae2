/**
 * Virtualization: the switchable VIRT_CTRL_CU / VIRT_CTRL_MU intercepts with one-line
 * explanations, how guest memory gets host memory, and the preemption quantum.
 */
import {
  Box,
  FormControlLabel,
  FormLabel,
  Radio,
  RadioGroup,
  Stack,
  Switch,
  Typography,
} from '@mui/material';
import { useTranslation } from 'react-i18next';
import { CU_INTERCEPTS, MU_INTERCEPTS } from '../../../main/common/vm-config';
import type { VirtualizationConfig } from '../../../main/common/vm-config';
import { problemAt } from '../../forms/problems';
import { NumberField, useProblemText } from '../fields';
import type { TabProps } from './SettingsDialog';

export function VirtualizationTab({ draft, problems, patch }: TabProps) {
  const { t } = useTranslation();
  const problem = useProblemText();
  const v = draft.virtualization;
  const setV = (change: Partial<VirtualizationConfig>, field: string) =>
    patch(
      (d) => ({ ...d, virtualization: { ...d.virtualization, ...change } }),
      `virtualization.${field}`,
    );
  const quantumError = problem(problemAt(problems, 'virtualization.quantumUs'));

  const group = (kind: 'cu' | 'mu') => {
    const keys = kind === 'cu' ? CU_INTERCEPTS : MU_INTERCEPTS;
    const rec: Record<string, boolean> = kind === 'cu' ? v.cuIntercepts : v.muIntercepts;
    const field = kind === 'cu' ? 'cuIntercepts' : 'muIntercepts';
    return (
      <Box component="fieldset" sx={{ border: 0, p: 0, m: 0 }}>
        <FormLabel component="legend" sx={{ fontWeight: 600, color: 'text.primary' }}>
          {t(`settings.${kind}Group`)}
        </FormLabel>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
          {t(`settings.${kind}GroupHelp`)}
        </Typography>
        <Box
          sx={{
            display: 'grid',
            gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))',
            columnGap: 2,
          }}
        >
          {keys.map((k) => (
            <FormControlLabel
              key={k}
              sx={{ alignItems: 'flex-start', m: 0, py: 0.5 }}
              control={
                <Switch
                  size="small"
                  checked={rec[k]}
                  onChange={(e) =>
                    setV(
                      {
                        [field]: { ...rec, [k]: e.target.checked },
                      } as Partial<VirtualizationConfig>,
                      field,
                    )
                  }
                  slotProps={{ input: { 'data-testid': `settings-intercept-${k}` } as object }}
                />
              }
              label={
                <Box sx={{ pt: 0.25 }}>
                  <Typography sx={{ fontFamily: 'monospace', fontSize: 13.5 }}>{k}</Typography>
                  <Typography sx={{ color: '%s' }} variant="body2">
                    {t(`intercept.${k}`)}
                  </Typography>
                </Box>
              }
            />
          ))}
        </Box>
      </Box>
    );
  };

  return (
    <Stack spacing={3}>
      {group('cu')}
      {group('mu')}
      <Box sx={{ display: 'flex', gap: 4, flexWrap: 'wrap', alignItems: 'flex-start' }}>
        <Box>
          <FormLabel id="gpa-label" sx={{ fontWeight: 600, color: 'text.primary' }}>
            {t('settings.gpaMapping')}
          </FormLabel>
          <RadioGroup
            aria-labelledby="gpa-label"
            value={v.gpaMapping}
            onChange={(e) =>
              setV(
                { gpaMapping: e.target.value as VirtualizationConfig['gpaMapping'] },
                'gpaMapping',
              )
            }
          >
            <FormControlLabel value="lazy" control={<Radio size="small" />} label={t('gpa.lazy')} />
            <FormControlLabel
              value="prealloc"
              control={<Radio size="small" />}
              label={t('gpa.prealloc')}
            />
          </RadioGroup>
        </Box>
        <NumberField
          label={t('settings.quantum')}
          value={v.quantumUs}
          onChange={(q) => setV({ quantumUs: q }, 'quantumUs')}
          error={Boolean(quantumError)}
          helperText={quantumError ?? t('settings.quantumHelp')}
          testId="settings-quantum"
          sx={{ width: 300 }}
        />
      </Box>
    </Stack>
  );
}
