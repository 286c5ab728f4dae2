/**
 * The main window: toolbar, machine list, details, and whichever dialog is open. Owns the
 * selection (by name) and routes commands from the toolbar, shortcuts and the native menu.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Box, Snackbar } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/context';
import { Details } from '../details/Details';
import { InaccessibleDetails } from '../details/InaccessibleDetails';
import type { SettingsTab } from '../forms/vm-config-form';
import { Dialogs } from '../dialogs/Dialogs';
import type { OpenDialog } from '../dialogs/Dialogs';
import { EmptyState } from './EmptyState';
import type { AppCommand } from './shortcuts';
import { isMac, isTextTarget, matchShortcut, worksInConsole } from './shortcuts';
import { VmPane, type VmTab } from '../vm/VmPane';
import { useVmCommands } from '../vm/useVmCommands';
import { Toolbar } from './Toolbar';
import { entryName, useLibrary } from './useLibrary';
import { VmList } from './VmList';

export function App() {
  const api = useApi();
  const { t } = useTranslation();
  const { entries, error } = useLibrary();
  const [selected, setSelected] = useState<string | null>(null);
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tab, setTab] = useState<VmTab>('details');

  // The selection follows the list: a removed machine hands it to the first one.
  const current = entries?.find((e) => entryName(e) === selected) ?? entries?.[0] ?? null;
  const currentName = current ? entryName(current) : null;

  const vmCommand = useVmCommands({
    onError: setNotice,
    onStarted: (headless) => setTab(headless ? 'monitor' : 'console'),
  });

  const run = useCallback(
    (c: AppCommand, tab: SettingsTab = 'general') => {
      if (
        c === 'startVm' ||
        c === 'startHeadless' ||
        c === 'pauseVm' ||
        c === 'resetVm' ||
        c === 'shutdownVm' ||
        c === 'powerOffVm'
      ) {
        if (current?.kind === 'ok') vmCommand(c, current.config.name, current.state);
        return;
      }
      if (c === 'newVm') setDialog({ kind: 'new' });
      else if (c === 'addVm') setDialog({ kind: 'add' });
      else if (c === 'preferences') setDialog({ kind: 'prefs' });
      else if (c === 'about') setDialog({ kind: 'about' });
      else if (!current) return;
      else if (c === 'removeVm') setDialog({ kind: 'remove', entry: current });
      else if (current.kind !== 'ok') return;
      else if (c === 'settings') setDialog({ kind: 'settings', config: current.config, tab });
      else if (c === 'cloneVm') setDialog({ kind: 'clone', name: current.config.name });
    },
    [current, vmCommand],
  );

  useEffect(() => {
    const mac = isMac();
    const onKey = (e: KeyboardEvent) => {
      if (dialog) return; // dialogs handle their own keys (Esc, Enter)
      const c = matchShortcut(e, mac);
      if (!c || (c === 'removeVm' && isTextTarget(e.target))) return;
      // Inside the console, plain Ctrl+letters belong to the guest (Ctrl+D, Ctrl+N, ...).
      const inConsole =
        e.target instanceof Element && e.target.closest('[data-console="true"]') !== null;
      if (inConsole && !worksInConsole(c)) return;
      e.preventDefault();
      run(c);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, run]);

  useEffect(
    () =>
      api.onMenuCommand?.((c) => {
        if (!dialog) run(c);
      }),
    [api, dialog, run],
  );

  const accessible = current?.kind === 'ok';
  const state = current?.kind === 'ok' ? current.state : null;
  const stopped = state === 'poweredOff' || state === 'aborted';
  const enabled: Record<AppCommand, boolean> = {
    newVm: true,
    addVm: true,
    settings: accessible && stopped,
    cloneVm: accessible,
    removeVm: current !== null && (current.kind !== 'ok' || stopped),
    preferences: true,
    about: true,
    startVm: stopped,
    startHeadless: stopped,
    pauseVm: state === 'running' || state === 'paused',
    resetVm: state === 'running' || state === 'paused',
    shutdownVm: state === 'running',
    powerOffVm: state === 'running' || state === 'paused' || state === 'starting',
  };

  return (
    <>
      <Toolbar enabled={enabled} onCommand={run} paused={state === 'paused'} />
      {error && (
        <Alert severity="error" square>
          {t('errors.listFailed', { message: error })}
        </Alert>
      )}
      {entries && entries.length === 0 ? (
        <EmptyState onCreate={() => run('newVm')} />
      ) : (
        <Box sx={{ flex: 1, display: 'flex', minHeight: 0 }}>
          <Box
            component="nav"
            sx={{
              width: { xs: 230, md: 280 },
              flexShrink: 0,
              borderRight: 1,
              borderColor: 'divider',
              overflowY: 'auto',
              bgcolor: 'background.paper',
            }}
          >
            {entries && (
              <VmList
                entries={entries}
                selected={currentName}
                onSelect={setSelected}
                onOpen={(name) => {
                  setSelected(name);
                  const e = entries.find((x) => entryName(x) === name);
                  if (e?.kind === 'ok')
                    setDialog({ kind: 'settings', config: e.config, tab: 'general' });
                }}
              />
            )}
          </Box>
          <Box
            sx={{
              flex: 1,
              minWidth: 0,
              display: 'flex',
              flexDirection: 'column',
              overflow: 'hidden',
            }}
          >
            {current?.kind === 'ok' && (
              <VmPane
                tab={tab}
                onTab={setTab}
                config={current.config}
                state={current.state}
                details={
                  <Details
                    config={current.config}
                    state={current.state}
                    onOpenSettings={(tab) => run('settings', tab)}
                  />
                }
              />
            )}
            {current?.kind === 'inaccessible' && (
              <Box sx={{ overflowY: 'auto' }}>
                <InaccessibleDetails
                  name={current.name}
                  folder={current.folder}
                  reason={current.reason}
                  onRemove={() => run('removeVm')}
                />
              </Box>
            )}
          </Box>
        </Box>
      )}
      <Dialogs
        open={dialog}
        taken={entries?.map(entryName) ?? []}
        onClose={() => setDialog(null)}
        onDone={(message, select) => {
          setDialog(null);
          if (select !== undefined) setSelected(select);
          if (message) setNotice(message);
        }}
      />
      <Snackbar
        open={notice !== null}
        autoHideDuration={4000}
        onClose={() => setNotice(null)}
        message={notice}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}
      />
    </>
  );
}
