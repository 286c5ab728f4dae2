/**
 * Settings of one machine, edited as a draft VmConfig. OK renames first (if the name changed)
 * and then writes the whole configuration with one updateVm; Cancel just drops the draft.
 * Problems (the shared schema's, live, and main's, on OK) are shown next to their fields and
 * the tabs holding them are marked.
 */
import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Tab,
  Tabs,
} from '@mui/material';
import ErrorIcon from '@mui/icons-material/ErrorOutlineOutlined';
import { useTranslation } from 'react-i18next';
import type { FieldProblem, VmConfig } from '../../../main/common/vm-config';
import { ApiError } from '../../../main/common/api-error';
import { useApi } from '../../api/context';
import { nameClash } from '../../forms/new-vm';
import {
  SETTINGS_TABS,
  tabOfField,
  tabsWithProblems,
  validateConfig,
} from '../../forms/vm-config-form';
import type { SettingsTab } from '../../forms/vm-config-form';
import { GeneralTab } from './GeneralTab';
import { SerialTab } from './SerialTab';
import { StorageTab } from './StorageTab';
import { SystemTab } from './SystemTab';
import { VirtualizationTab } from './VirtualizationTab';

export interface TabProps {
  draft: VmConfig;
  problems: FieldProblem[];
  /** Applies an edit; `field` (a path prefix) clears main's problems about it. */
  patch(fn: (d: VmConfig) => VmConfig, field: string): void;
}

interface Props {
  config: VmConfig;
  /** Names of the other machines in the library. */
  taken: readonly string[];
  initialTab: SettingsTab;
  onClose(): void;
  /** Saved (or renamed): the machine's name now. */
  onSaved(name: string): void;
}

export function SettingsDialog({ config, taken, initialTab, onClose, onSaved }: Props) {
  const api = useApi();
  const { t } = useTranslation();
  const [tab, setTab] = useState<SettingsTab>(initialTab);
  const [draft, setDraft] = useState<VmConfig>(config);
  // The name on disk: changes once a rename succeeded, even if the update then fails.
  const [savedName, setSavedName] = useState(config.name);
  const [serverProblems, setServerProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const check = (d: VmConfig) => {
    const others = taken.filter((n) => n.toLowerCase() !== savedName.toLowerCase());
    const clash = nameClash(d.name, others);
    return [...(clash ? [clash] : []), ...validateConfig(d)];
  };
  const problems = [...serverProblems, ...check(draft)];
  const marked = tabsWithProblems(problems);

  const patch = (fn: (d: VmConfig) => VmConfig, field: string) => {
    setDraft((d) => fn(d));
    setServerProblems((ps) =>
      ps.filter((p) => !(p.field === field || p.field.startsWith(`${field}.`))),
    );
  };

  const apply = async () => {
    // Nothing changed: do not rewrite vm.json (it would only bump modifiedAt).
    if (savedName === config.name && JSON.stringify(draft) === JSON.stringify(config))
      return onClose();
    const local = check(draft);
    if (local.length) return setTab(tabOfField(local[0].field));
    setBusy(true);
    setFailure(null);
    let stage: 'rename' | 'update' = 'rename';
    try {
      if (draft.name !== savedName) {
        await api.renameVm(savedName, draft.name);
        setSavedName(draft.name);
      }
      stage = 'update';
      await api.updateVm(draft.name, draft);
      onSaved(draft.name);
    } catch (e) {
      if (e instanceof ApiError && e.problems?.length) {
        // renameVm only concerns the name, whatever path its argument check reported.
        const ps =
          stage === 'rename' ? e.problems.map((p) => ({ ...p, field: 'name' })) : e.problems;
        setServerProblems(ps);
        setTab(tabOfField(ps[0].field));
      } else {
        setFailure(e instanceof Error ? e.message : String(e));
      }
      if (stage === 'update' && draft.name !== config.name)
        setFailure(t('errors.renamedButNotSaved'));
    } finally {
      setBusy(false);
    }
  };

  const tabProps: TabProps = { draft, problems, patch };
  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="settings-title"
      // A fixed height: switching tabs must not make the dialog jump around.
      slotProps={{
        paper: {
          'data-testid': 'settings-dialog',
          sx: { height: 'min(720px, calc(100% - 64px))' },
        } as object,
      }}
    >
      <DialogTitle id="settings-title" sx={{ overflowWrap: 'anywhere' }}>
        {t('settings.title', { name: savedName })}
      </DialogTitle>
      <Box
        sx={{
          display: 'flex',
          borderTop: 1,
          borderBottom: 1,
          borderColor: 'divider',
          flex: 1,
          minHeight: 0,
        }}
      >
        <Tabs
          orientation="vertical"
          value={tab}
          onChange={(_, v: SettingsTab) => setTab(v)}
          aria-label={t('settings.tabs')}
          sx={{ borderRight: 1, borderColor: 'divider', minWidth: 190, flexShrink: 0 }}
        >
          {SETTINGS_TABS.map((id) => (
            <Tab
              key={id}
              value={id}
              id={`settings-tab-${id}`}
              aria-controls={`settings-panel-${id}`}
              data-testid={`settings-tab-${id}`}
              data-error={marked.has(id) ? 'true' : undefined}
              label={t(`settings.${id}`)}
              icon={
                marked.has(id) ? (
                  <ErrorIcon color="error" fontSize="small" aria-label={t('common.errorsOnTab')} />
                ) : undefined
              }
              iconPosition="end"
              sx={{
                alignItems: 'center',
                justifyContent: 'space-between',
                minHeight: 44,
                textAlign: 'left',
                color: marked.has(id) ? 'error.main' : undefined,
              }}
            />
          ))}
        </Tabs>
        <DialogContent
          role="tabpanel"
          id={`settings-panel-${tab}`}
          aria-labelledby={`settings-tab-${tab}`}
          sx={{ flex: 1, py: 2.5 }}
        >
          {tab === 'general' && <GeneralTab {...tabProps} />}
          {tab === 'system' && <SystemTab {...tabProps} />}
          {tab === 'storage' && <StorageTab {...tabProps} />}
          {tab === 'serial' && <SerialTab {...tabProps} />}
          {tab === 'virtualization' && <VirtualizationTab {...tabProps} />}
          {failure && (
            <Alert severity="error" sx={{ mt: 2 }} data-testid="settings-error">
              {failure}
            </Alert>
          )}
        </DialogContent>
      </Box>
      <DialogActions sx={{ px: 3, py: 1.5 }}>
        <Button onClick={onClose} disabled={busy} data-testid="settings-cancel">
          {t('common.cancel')}
        </Button>
        <Button
          variant="contained"
          onClick={() => void apply()}
          disabled={busy}
          data-testid="settings-ok"
        >
          {busy ? t('common.working') : t('common.ok')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
