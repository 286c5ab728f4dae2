/**
 * Serial ports ttyS0 … ttyS3. A port is either absent from vm.json (switched off here) or
 * present with a mode; 'disconnected' means the guest sees a port with nothing attached.
 * The draft keeps the ports sorted by index, so problem paths (array positions) are stable.
 */
import { Box, FormControlLabel, MenuItem, Paper, Stack, Switch, TextField } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { MAX_SERIAL_PORTS, SERIAL_MODES } from '../../../main/common/vm-config';
import type { SerialMode, SerialPortConfig } from '../../../main/common/vm-config';
import { problemAt } from '../../forms/problems';
import { NumberField, useProblemText } from '../fields';
import type { TabProps } from './SettingsDialog';

const sorted = (ps: SerialPortConfig[]) => [...ps].sort((a, b) => a.index - b.index);

export function SerialTab({ draft, problems, patch }: TabProps) {
  const { t } = useTranslation();
  const problem = useProblemText();
  const ports = sorted(draft.serialPorts);

  const set = (index: number, next: SerialPortConfig | null) =>
    patch(
      (d) => ({
        ...d,
        serialPorts: sorted([
          ...d.serialPorts.filter((p) => p.index !== index),
          ...(next ? [next] : []),
        ]),
      }),
      'serialPorts',
    );
  const listError = problem(problemAt(problems, 'serialPorts'));

  return (
    <Stack spacing={1.5}>
      {Array.from({ length: MAX_SERIAL_PORTS }, (_, index) => {
        const pos = ports.findIndex((p) => p.index === index);
        const port = pos >= 0 ? ports[pos] : null;
        const at = (f: string) => problem(problemAt(problems, `serialPorts.${pos}.${f}`));
        return (
          <Paper
            key={index}
            variant="outlined"
            sx={{
              bgcolor: 'transparent',
              p: 1.5,
              display: 'flex',
              gap: 2,
              alignItems: 'flex-start',
              flexWrap: 'wrap',
            }}
          >
            <FormControlLabel
              sx={{ width: 190, mt: 1 }}
              control={
                <Switch
                  checked={port !== null}
                  onChange={(e) => set(index, e.target.checked ? { index, mode: 'console' } : null)}
                  slotProps={{
                    input: { 'data-testid': `settings-serial-${index}-enabled` } as object,
                  }}
                />
              }
              label={t('settings.port', { index })}
            />
            {port && (
              <TextField
                select
                label={t('settings.mode')}
                value={port.mode}
                onChange={(e) => set(index, withMode(port, e.target.value as SerialMode))}
                sx={{ width: 200 }}
                slotProps={{ htmlInput: { 'data-testid': `settings-serial-${index}-mode` } }}
              >
                {SERIAL_MODES.map((m) => (
                  <MenuItem key={m} value={m}>
                    {t(`serialMode.${m}`)}
                  </MenuItem>
                ))}
              </TextField>
            )}
            {port?.mode === 'tcp' && (
              <NumberField
                label={t('settings.tcpPort')}
                value={port.tcpPort ?? Number.NaN}
                onChange={(v) => set(index, { ...port, tcpPort: v })}
                error={Boolean(at('tcpPort'))}
                helperText={at('tcpPort') ?? '127.0.0.1'}
                testId={`settings-serial-${index}-tcp`}
                sx={{ width: 160 }}
              />
            )}
            {port?.mode === 'file' && (
              <Box sx={{ flex: 1, minWidth: 220 }}>
                <TextField
                  fullWidth
                  label={t('settings.filePath')}
                  value={port.filePath ?? ''}
                  onChange={(e) => set(index, { ...port, filePath: e.target.value || undefined })}
                  error={Boolean(at('filePath'))}
                  helperText={at('filePath') ?? t('wizard.pathHelp')}
                  slotProps={{
                    htmlInput: {
                      'data-testid': `settings-serial-${index}-file`,
                      spellCheck: false,
                    },
                  }}
                />
              </Box>
            )}
          </Paper>
        );
      })}
      {listError && <Box sx={{ color: 'error.main' }}>{listError}</Box>}
    </Stack>
  );
}

/** Drops the fields the new mode does not use, so vm.json stays clean. */
function withMode(p: SerialPortConfig, mode: SerialMode): SerialPortConfig {
  const base = { index: p.index, mode };
  if (mode === 'tcp') return { ...base, tcpPort: p.tcpPort ?? 5000 + p.index };
  if (mode === 'file') return { ...base, filePath: p.filePath ?? `ttyS${p.index}.log` };
  return base;
}
