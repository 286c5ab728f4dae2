/** Which dialog is open, and how each reports back to the main window. */
import { useTranslation } from 'react-i18next';
import type { VmEntry } from '../../main/common/api';
import type { VmConfig } from '../../main/common/vm-config';
import type { SettingsTab } from '../forms/vm-config-form';
import { AboutDialog } from './AboutDialog';
import { AddDialog } from './AddDialog';
import { CloneDialog } from './CloneDialog';
import { PreferencesDialog } from './PreferencesDialog';
import { RemoveDialog } from './RemoveDialog';
import { SettingsDialog } from './settings/SettingsDialog';
import { NewVmWizard } from './wizard/NewVmWizard';

export type OpenDialog =
  | { kind: 'new' }
  | { kind: 'add' }
  | { kind: 'settings'; config: VmConfig; tab: SettingsTab }
  | { kind: 'clone'; name: string }
  | { kind: 'remove'; entry: VmEntry }
  | { kind: 'prefs' }
  | { kind: 'about' };

interface Props {
  open: OpenDialog | null;
  /** Names in the library, for early "already exists" checks. */
  taken: readonly string[];
  onClose(): void;
  /** Finished: optional notice for the snackbar, optional machine to select. */
  onDone(message: string | null, select?: string): void;
}

export function Dialogs({ open, taken, onClose, onDone }: Props) {
  const { t } = useTranslation();
  if (!open) return null;
  switch (open.kind) {
    case 'new':
      return (
        <NewVmWizard
          taken={taken}
          onClose={onClose}
          onCreated={(name) => onDone(t('wizard.created', { name }), name)}
        />
      );
    case 'settings':
      return (
        <SettingsDialog
          taken={taken}
          config={open.config}
          initialTab={open.tab}
          onClose={onClose}
          onSaved={(name) => onDone(t('settings.saved', { name }), name)}
        />
      );
    case 'clone':
      return (
        <CloneDialog
          taken={taken}
          name={open.name}
          onClose={onClose}
          onCloned={(name) => onDone(t('clone.done', { name }), name)}
        />
      );
    case 'remove':
      return <RemoveDialog entry={open.entry} onClose={onClose} onRemoved={() => onDone(null)} />;
    case 'add':
      return (
        <AddDialog onClose={onClose} onAdded={(name) => onDone(t('add.done', { name }), name)} />
      );
    case 'prefs':
      return <PreferencesDialog onClose={onClose} />;
    case 'about':
      return <AboutDialog onClose={onClose} />;
  }
}
