/** The main window's toolbar: icon buttons with labels, tooltips name their shortcuts. */
import { AppBar, Box, Button, Tooltip, Toolbar as MuiToolbar, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/AddCircleOutlineOutlined';
import OpenIcon from '@mui/icons-material/FolderOpenOutlined';
import SettingsIcon from '@mui/icons-material/SettingsOutlined';
import CloneIcon from '@mui/icons-material/ContentCopyOutlined';
import RemoveIcon from '@mui/icons-material/DeleteOutlined';
import PrefsIcon from '@mui/icons-material/TuneOutlined';
import AboutIcon from '@mui/icons-material/InfoOutlined';
import StartIcon from '@mui/icons-material/PlayArrowOutlined';
import PauseIcon from '@mui/icons-material/PauseOutlined';
import ResetIcon from '@mui/icons-material/RestartAltOutlined';
import ShutdownIcon from '@mui/icons-material/PowerSettingsNewOutlined';
import PowerOffIcon from '@mui/icons-material/PowerOffOutlined';
import ArrowIcon from '@mui/icons-material/ArrowDropDown';
import { Divider, Menu, MenuItem } from '@mui/material';
import { useState } from 'react';
import type { ReactElement } from 'react';
import logoUrl from '../../assets/icons/glaunch.svg';
import { useTranslation } from 'react-i18next';
import type { AppCommand } from './shortcuts';
import { isMac, shortcutLabel } from './shortcuts';

interface Props {
  /** Commands that need a selected (or accessible) machine are disabled without one. */
  enabled: Record<AppCommand, boolean>;
  onCommand(c: AppCommand): void;
  /** The selected VM is paused: the pause button resumes. */
  paused?: boolean;
}

const ITEMS: {
  command: AppCommand;
  label: string;
  tip: string;
  icon: ReactElement;
  testId: string;
}[] = [
  {
    command: 'newVm',
    label: 'toolbar.new',
    tip: 'toolbar.newTip',
    icon: <AddIcon />,
    testId: 'toolbar-new',
  },
  {
    command: 'addVm',
    label: 'toolbar.add',
    tip: 'toolbar.addTip',
    icon: <OpenIcon />,
    testId: 'toolbar-add',
  },
  {
    command: 'settings',
    label: 'toolbar.settings',
    tip: 'toolbar.settingsTip',
    icon: <SettingsIcon />,
    testId: 'toolbar-settings',
  },
  {
    command: 'cloneVm',
    label: 'toolbar.clone',
    tip: 'toolbar.cloneTip',
    icon: <CloneIcon />,
    testId: 'toolbar-clone',
  },
  {
    command: 'removeVm',
    label: 'toolbar.remove',
    tip: 'toolbar.removeTip',
    icon: <RemoveIcon />,
    testId: 'toolbar-remove',
  },
];
const VM_ITEMS: typeof ITEMS = [
  {
    command: 'startVm',
    label: 'toolbar.start',
    tip: 'toolbar.startTip',
    icon: <StartIcon />,
    testId: 'toolbar-start',
  },
  {
    command: 'pauseVm',
    label: 'toolbar.pause',
    tip: 'toolbar.pauseTip',
    icon: <PauseIcon />,
    testId: 'toolbar-pause',
  },
  {
    command: 'resetVm',
    label: 'toolbar.reset',
    tip: 'toolbar.resetTip',
    icon: <ResetIcon />,
    testId: 'toolbar-reset',
  },
  {
    command: 'shutdownVm',
    label: 'toolbar.shutdown',
    tip: 'toolbar.shutdownTip',
    icon: <ShutdownIcon />,
    testId: 'toolbar-shutdown',
  },
  {
    command: 'powerOffVm',
    label: 'toolbar.powerOff',
    tip: 'toolbar.powerOffTip',
    icon: <PowerOffIcon />,
    testId: 'toolbar-poweroff',
  },
];
const END_ITEMS: typeof ITEMS = [
  {
    command: 'preferences',
    label: 'toolbar.preferences',
    tip: 'toolbar.preferencesTip',
    icon: <PrefsIcon />,
    testId: 'toolbar-preferences',
  },
  {
    command: 'about',
    label: 'toolbar.about',
    tip: 'toolbar.aboutTip',
    icon: <AboutIcon />,
    testId: 'toolbar-about',
  },
];

export function Toolbar({ enabled, onCommand, paused = false }: Props) {
  const { t } = useTranslation();
  const mac = isMac();
  const [startAnchor, setStartAnchor] = useState<HTMLElement | null>(null);
  const button = (item: (typeof ITEMS)[number]) => {
    // The pause button resumes a paused VM (same shortcut).
    const it =
      item.command === 'pauseVm' && paused
        ? { ...item, label: 'toolbar.resume', tip: 'toolbar.resumeTip', icon: <StartIcon /> }
        : item;
    return (
      <Tooltip
        key={it.command}
        title={t(it.tip, { key: shortcutLabel(it.command, mac) })}
        describeChild
      >
        {/* The span keeps the tooltip working while the button is disabled. */}
        <span>
          <Button
            data-testid={it.testId}
            disabled={!enabled[it.command]}
            onClick={() => onCommand(it.command)}
            color="inherit"
            aria-keyshortcuts={shortcutLabel(it.command, false).replace('Del', 'Delete')}
            sx={{
              flexDirection: 'column',
              minWidth: 64,
              whiteSpace: 'nowrap',
              px: 1,
              py: 0.5,
              gap: 0.25,
              fontSize: 12.5,
              '& svg': { fontSize: 26 },
            }}
          >
            {it.icon}
            {t(it.label)}
          </Button>
        </span>
      </Tooltip>
    );
  };
  return (
    <AppBar
      position="static"
      color="default"
      elevation={0}
      sx={{ borderBottom: 1, borderColor: 'divider', bgcolor: 'background.paper' }}
    >
      <MuiToolbar
        variant="dense"
        role="toolbar"
        aria-label={t('toolbar.label')}
        sx={{ gap: 0.5, py: 0.5 }}
      >
        <Box component="img" src={logoUrl} alt="" sx={{ width: 28, height: 28, mr: 1 }} />
        {/* At the minimum window width the logo alone names the app. */}
        <Typography
          variant="h6"
          component="h1"
          sx={{ fontWeight: 600, mr: 2, letterSpacing: 0.2, display: { xs: 'none', md: 'block' } }}
        >
          {t('app.title')}
        </Typography>
        {ITEMS.map(button)}
        <Divider orientation="vertical" flexItem sx={{ mx: 0.5 }} />
        {button(VM_ITEMS[0])}
        <span>
          <Tooltip title={t('toolbar.startMenuTip')}>
            <span>
              <Button
                data-testid="toolbar-start-menu"
                aria-label={t('toolbar.startMenuTip')}
                aria-haspopup="menu"
                disabled={!enabled.startHeadless}
                onClick={(e) => setStartAnchor(e.currentTarget)}
                color="inherit"
                sx={{ minWidth: 20, px: 0, ml: -0.75, alignSelf: 'stretch' }}
              >
                <ArrowIcon />
              </Button>
            </span>
          </Tooltip>
        </span>
        <Menu
          open={startAnchor !== null}
          anchorEl={startAnchor}
          onClose={() => setStartAnchor(null)}
        >
          <MenuItem
            data-testid="toolbar-start-normal"
            onClick={() => {
              setStartAnchor(null);
              onCommand('startVm');
            }}
          >
            {t('toolbar.startNormal', { key: shortcutLabel('startVm', mac) })}
          </MenuItem>
          <MenuItem
            data-testid="toolbar-start-headless"
            onClick={() => {
              setStartAnchor(null);
              onCommand('startHeadless');
            }}
          >
            {t('toolbar.startHeadless', { key: shortcutLabel('startHeadless', mac) })}
          </MenuItem>
        </Menu>
        {VM_ITEMS.slice(1).map(button)}
        <Box sx={{ flex: 1 }} />
        {END_ITEMS.map(button)}
      </MuiToolbar>
    </AppBar>
  );
}
