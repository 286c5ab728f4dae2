/**
 * The right-hand pane of an accessible VM: Details, Console, Monitor and Logs tabs, and above
 * them why the VM aborted (with the last log lines) or where its serial ports can be reached.
 */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Alert, AlertTitle, Box, Tab, Tabs } from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { VmState, VmStatus } from '../../main/common/api';
import type { VmConfig } from '../../main/common/vm-config';
import { useApi } from '../api/context';
import { ConsoleView } from './ConsoleView';
import { LogsView } from './LogsView';
import { MonitorView } from './MonitorView';

export type VmTab = 'details' | 'console' | 'monitor' | 'logs';
const TABS: VmTab[] = ['details', 'console', 'monitor', 'logs'];

interface Props {
  tab: VmTab;
  onTab(t: VmTab): void;
  config: VmConfig;
  state: VmState;
  details: ReactNode;
}

export function VmPane({ tab, onTab, config, state, details }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const name = config.name;
  const [status, setStatus] = useState<VmStatus | null>(null);
  useEffect(() => {
    let live = true;
    api.getVmStatus(name).then(
      (s) => live && setStatus(s),
      () => live && setStatus(null),
    );
    return () => {
      live = false;
    };
  }, [api, name, state]);
  const hasConsole = config.serialPorts.some((p) => p.index === 0 && p.mode === 'console');

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <Tabs
        value={tab}
        onChange={(_e, v: VmTab) => onTab(v)}
        sx={{ borderBottom: 1, borderColor: 'divider', px: 2, minHeight: 40 }}
        aria-label={t('vm.tabs')}
      >
        {TABS.map((k) => (
          <Tab
            key={k}
            value={k}
            label={t(`vm.tab.${k}`)}
            data-testid={`vm-tab-${k}`}
            sx={{ minHeight: 40 }}
          />
        ))}
      </Tabs>
      {state === 'aborted' && status?.state === 'aborted' && (
        <Alert severity="error" data-testid="vm-aborted" sx={{ m: 2, mb: 0 }}>
          <AlertTitle>{t('vm.aborted', { reason: status.reason ?? '' })}</AlertTitle>
          {status.lastLog && status.lastLog.length > 0 && (
            <Box
              component="pre"
              sx={{ m: 0, fontSize: 12, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
            >
              {status.lastLog.join('\n')}
            </Box>
          )}
        </Alert>
      )}
      {state === 'poweredOff' && status?.reason && (
        <Alert severity="info" data-testid="vm-last-stop" sx={{ m: 2, mb: 0 }}>
          {t('vm.lastStop', { reason: status.reason })}
        </Alert>
      )}
      {(state === 'running' || state === 'paused') && status?.serial.some((s) => s.endpoint) && (
        <Alert severity="info" data-testid="vm-serial-endpoints" sx={{ m: 2, mb: 0 }}>
          {status.serial
            .filter((s) => s.endpoint)
            .map((s) => t(`vm.endpoint.${s.mode}`, { index: s.index, endpoint: s.endpoint }))
            .join(' · ')}
        </Alert>
      )}
      {tab === 'details' && <Box sx={{ overflowY: 'auto', flex: 1 }}>{details}</Box>}
      {tab === 'console' &&
        (hasConsole ? (
          <ConsoleView name={name} state={state} />
        ) : (
          <Alert severity="info" sx={{ m: 2 }}>
            {t('vm.noConsole')}
          </Alert>
        ))}
      {tab === 'monitor' && <MonitorView name={name} state={state} />}
      {tab === 'logs' && <LogsView name={name} state={state} />}
    </Box>
  );
}
