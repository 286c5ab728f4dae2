/**
 * The virtualization monitor: what the hypervisor does for this VM, live. Charts of the last
 * minute (rates from the counters the VM process reports every 200 ms), the most recent
 * intercept records decoded, and the vCPUs' registers (pause and inspect). Every panel has a
 * one-line explanation for a user who never heard of `glaunch` or intercepts.
 */
import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { LineChart } from '@mui/x-charts/LineChart';
import { useTranslation } from 'react-i18next';
import type { VmState } from '../../main/common/api';
import { useApi } from '../api/context';
import { useRuntime } from './context';
import { exitCauses, formatBytes, rate, share, timeAxis, type Series } from './runtime';

interface Props {
  name: string;
  state: VmState;
}

interface InterceptRow {
  seq?: number;
  vcpu?: number;
  timeMs?: number;
  causes?: string[];
  guestIp?: string | null;
  summary?: string;
  /** What the VMM did about it. */
  action?: string;
}

export function MonitorView({ name, state }: Props) {
  const { t } = useTranslation();
  const rt = useRuntime(name);
  const samples = rt.samples;
  const x = timeAxis(samples);
  const last = samples.at(-1);
  const c = last?.stats.counters ?? {};
  const causes = exitCauses(samples);
  const live = state === 'running' || state === 'paused';

  const chart = (id: string, series: Series[], unit: string) => (
    <ChartCard id={id} title={t(`monitor.${id}.title`)} help={t(`monitor.${id}.help`)}>
      {samples.length < 2 ? (
        <Typography sx={{ color: 'text.secondary', p: 2 }}>{t('monitor.waiting')}</Typography>
      ) : (
        <LineChart
          height={190}
          skipAnimation
          xAxis={[{ data: x, valueFormatter: (v: number) => `${v.toFixed(0)} s`, tickMinStep: 5 }]}
          yAxis={[{ width: 56, valueFormatter: (v: number) => compact(v) }]}
          series={series.map((s) => ({
            ...s,
            showMark: false,
            valueFormatter: (v: number | null) => (v === null ? '–' : `${compact(v)} ${unit}`),
          }))}
          margin={{ left: 4, right: 12, top: 8, bottom: 4 }}
          slotProps={{
            legend: { direction: 'horizontal', position: { vertical: 'top', horizontal: 'end' } },
          }}
        />
      )}
    </ChartCard>
  );

  return (
    <Box sx={{ overflowY: 'auto', p: 2, flex: 1 }} data-testid="monitor">
      <Typography sx={{ mb: 2, color: 'text.secondary', maxWidth: 900 }}>
        {t('monitor.intro')}
      </Typography>
      {!live && !last && <Alert severity="info">{t('monitor.notRunning')}</Alert>}
      <Stack
        direction="row"
        spacing={3}
        sx={{ mb: 2, flexWrap: 'wrap' }}
        data-testid="monitor-totals"
      >
        <Total
          id="monitor-exits-total"
          label={t('monitor.totals.exits')}
          value={c['exits.total']}
        />
        <Total label={t('monitor.totals.mmio')} value={c['exits.mmio']} />
        <Total label={t('monitor.totals.gpaFaults')} value={c['gpa.faults']} />
        <Total label={t('monitor.totals.irqs')} value={c['irq.injected']} />
        <Total
          label={t('monitor.totals.ram')}
          value={last?.stats.guestRamResidentBytes}
          format={(v) => formatBytes(v)}
        />
      </Stack>
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: 'repeat(auto-fill, minmax(420px, 1fr))',
        }}
      >
        {chart(
          'exits',
          causes.map((k) => ({ label: k, data: rate(samples, `exits.${k}`) })),
          t('monitor.perSecond'),
        )}
        {chart(
          'time',
          [
            { label: t('monitor.time.guest'), data: share(samples, 'time.guest_ms') },
            { label: t('monitor.time.vmm'), data: share(samples, 'time.vmm_ms') },
          ],
          '%',
        )}
        {chart(
          'gpa',
          [
            { label: t('monitor.gpa.faults'), data: rate(samples, 'gpa.faults') },
            {
              label: t('monitor.gpa.mappedMiB'),
              data: samples.map((s) => s.stats.guestRamResidentBytes / 1024 / 1024),
            },
          ],
          '',
        )}
        {chart(
          'irq',
          [
            { label: t('monitor.irq.injected'), data: rate(samples, 'irq.injected') },
            { label: t('monitor.irq.posted'), data: rate(samples, 'irq.posted') },
            { label: t('monitor.irq.direct'), data: rate(samples, 'irq.taken_direct') },
          ],
          t('monitor.perSecond'),
        )}
        {chart(
          'quantum',
          [{ label: t('monitor.quantum.expiries'), data: rate(samples, 'exits.quantum') }],
          t('monitor.perSecond'),
        )}
        {chart(
          'idle',
          [
            {
              label: t('monitor.idle.share'),
              data: share(samples, 'time.idle_ms'),
            },
            { label: t('monitor.idle.exits'), data: rate(samples, 'exits.idle') },
          ],
          '',
        )}
      </Box>
      <InterceptTable rows={(last?.stats.recentIntercepts ?? []) as InterceptRow[]} />
      <Registers name={name} state={state} />
    </Box>
  );
}

function compact(v: number): string {
  if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (Math.abs(v) >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (Math.abs(v) >= 100 || v === 0) return v.toFixed(0);
  return v.toFixed(1);
}

function Total({
  id,
  label,
  value,
  format = (v) => v.toLocaleString(),
}: {
  id?: string;
  label: string;
  value: number | undefined;
  format?: (v: number) => string;
}) {
  return (
    <Box>
      <Typography variant="caption" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Typography variant="h6" data-testid={id} sx={{ fontVariantNumeric: 'tabular-nums' }}>
        {value === undefined ? '–' : format(value)}
      </Typography>
    </Box>
  );
}

function ChartCard({
  id,
  title,
  help,
  children,
}: {
  id: string;
  title: string;
  help: string;
  children: React.ReactNode;
}) {
  return (
    <Paper variant="outlined" sx={{ p: 1.5 }} data-testid={`monitor-chart-${id}`}>
      <Typography variant="subtitle2" component="h3">
        {title}
      </Typography>
      <Typography variant="caption" component="p" sx={{ color: 'text.secondary', mb: 0.5 }}>
        {help}
      </Typography>
      {children}
    </Paper>
  );
}

function InterceptTable({ rows }: { rows: InterceptRow[] }) {
  const { t } = useTranslation();
  const recent = rows.slice(-20).reverse();
  return (
    <Paper variant="outlined" sx={{ mt: 2, p: 1.5 }}>
      <Typography variant="subtitle2" component="h3">
        {t('monitor.intercepts.title')}
      </Typography>
      <Typography variant="caption" component="p" sx={{ color: 'text.secondary', mb: 1 }}>
        {t('monitor.intercepts.help')}
      </Typography>
      <TableContainer sx={{ maxHeight: 320 }}>
        <Table size="small" stickyHeader data-testid="monitor-intercepts">
          <TableHead>
            <TableRow>
              <TableCell>#</TableCell>
              <TableCell>{t('monitor.intercepts.vcpu')}</TableCell>
              <TableCell>{t('monitor.intercepts.time')}</TableCell>
              <TableCell>{t('monitor.intercepts.cause')}</TableCell>
              <TableCell>{t('monitor.intercepts.ip')}</TableCell>
              <TableCell>{t('monitor.intercepts.details')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {recent.length === 0 && (
              <TableRow>
                <TableCell colSpan={6} sx={{ color: 'text.secondary' }}>
                  {t('monitor.intercepts.none')}
                </TableCell>
              </TableRow>
            )}
            {recent.map((r, i) => (
              <TableRow key={r.seq ?? i}>
                <TableCell>{r.seq ?? ''}</TableCell>
                <TableCell>{r.vcpu ?? ''}</TableCell>
                <TableCell>
                  {r.timeMs !== undefined ? `${(r.timeMs / 1000).toFixed(3)} s` : ''}
                </TableCell>
                <TableCell>{r.causes?.join(' + ') ?? ''}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>{r.guestIp ?? ''}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace', fontSize: 12 }}>
                  {r.summary ?? ''}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </Paper>
  );
}

function Registers({ name, state }: Props) {
  const api = useApi();
  const { t } = useTranslation();
  const [regs, setRegs] = useState<Record<string, string>[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const live = state === 'running' || state === 'paused';
  const load = () =>
    api.getVmRegisters(name).then(
      (r) => {
        setRegs(r);
        setError(null);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  const inspect = async () => {
    try {
      if (state === 'running') await api.pauseVm(name);
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Paper variant="outlined" sx={{ mt: 2, p: 1.5 }}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5 }}>
        <Typography variant="subtitle2" component="h3" sx={{ flex: 1 }}>
          {t('monitor.registers.title')}
        </Typography>
        <Button
          size="small"
          variant="outlined"
          disabled={!live}
          onClick={() => void inspect()}
          data-testid="monitor-inspect"
        >
          {state === 'paused'
            ? t('monitor.registers.refresh')
            : t('monitor.registers.pauseInspect')}
        </Button>
        {state === 'paused' && (
          <Button size="small" onClick={() => void api.resumeVm(name).catch(() => undefined)}>
            {t('monitor.registers.resume')}
          </Button>
        )}
      </Stack>
      <Typography variant="caption" component="p" sx={{ color: 'text.secondary', mb: 1 }}>
        {t('monitor.registers.help')}
      </Typography>
      {error && <Alert severity="warning">{error}</Alert>}
      {regs && (
        <Box
          sx={{
            display: 'grid',
            gap: 2,
            gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))',
          }}
          data-testid="monitor-registers"
        >
          {regs.map((cpu, i) => (
            <Box key={i}>
              <Typography variant="body2" sx={{ fontWeight: 600 }}>
                {t('monitor.registers.vcpu', { n: i })}
              </Typography>
              <Table size="small">
                <TableBody>
                  {Object.entries(cpu).map(([k, v]) => (
                    <TableRow key={k}>
                      <TableCell sx={{ fontFamily: 'monospace', py: 0.25 }}>{k}</TableCell>
                      <TableCell sx={{ fontFamily: 'monospace', py: 0.25 }}>{v}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          ))}
        </Box>
      )}
    </Paper>
  );
}
