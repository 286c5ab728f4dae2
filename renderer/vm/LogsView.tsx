/** The VM's log files: the current (or last) run and the two before it. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Box, Button, MenuItem, Stack, TextField } from '@mui/material';
import RefreshIcon from '@mui/icons-material/Refresh';
import { useTranslation } from 'react-i18next';
import type { VmLog, VmState } from '../../main/common/api';
import { useApi } from '../api/context';

export function LogsView({ name, state }: { name: string; state: VmState }) {
  const api = useApi();
  const { t } = useTranslation();
  const [run, setRun] = useState(0);
  const [log, setLog] = useState<VmLog | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api.readVmLog(name, run).then(
      (l) => {
        setLog(l);
        setError(null);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [api, name, run]);
  // Re-read on every state change: a start, a stop and an abort each add lines.
  useEffect(load, [load, state]);
  return (
    <Box
      sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0, p: 2, gap: 1 }}
      data-testid="logs"
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <TextField
          select
          size="small"
          label={t('logs.run')}
          value={run}
          onChange={(e) => setRun(Number(e.target.value))}
          sx={{ minWidth: 220 }}
          slotProps={{ htmlInput: { 'data-testid': 'logs-run' } }}
        >
          {[0, 1, 2].map((r) => (
            <MenuItem key={r} value={r} disabled={log !== null && !log.available.includes(r)}>
              {t(`logs.run${r}`)}
            </MenuItem>
          ))}
        </TextField>
        <Button startIcon={<RefreshIcon />} onClick={load} data-testid="logs-refresh">
          {t('logs.refresh')}
        </Button>
      </Stack>
      {error && <Alert severity="error">{error}</Alert>}
      <Box
        component="pre"
        data-testid="logs-text"
        sx={{
          flex: 1,
          m: 0,
          p: 1.5,
          overflow: 'auto',
          fontFamily: 'monospace',
          fontSize: 12.5,
          bgcolor: 'action.hover',
          borderRadius: 1,
          whiteSpace: 'pre-wrap',
          overflowWrap: 'anywhere',
        }}
      >
        {log && log.text ? log.text : t('logs.empty')}
      </Box>
    </Box>
  );
}
