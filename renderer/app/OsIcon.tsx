/** A small coloured badge per OS type, so machines are told apart at a glance in the list. */
import { Avatar } from '@mui/material';
import RocketIcon from '@mui/icons-material/RocketLaunchOutlined';
import ChipIcon from '@mui/icons-material/MemoryOutlined';
import TerminalIcon from '@mui/icons-material/TerminalOutlined';
import StarIcon from '@mui/icons-material/StarOutlineRounded';
import ComputerIcon from '@mui/icons-material/ComputerOutlined';
import WarningIcon from '@mui/icons-material/WarningAmberRounded';
import type { OsType } from '../../main/common/vm-config';

const LOOK: Record<OsType, { icon: typeof ChipIcon; color: string }> = {
  'glaunch-demo': { icon: RocketIcon, color: '#7b4bc4' },
  'elbrus-linux': { icon: ChipIcon, color: '#1f6fc4' },
  'alt-linux': { icon: TerminalIcon, color: '#c47a12' },
  'astra-linux': { icon: StarIcon, color: '#c43b3b' },
  'other-linux': { icon: TerminalIcon, color: '#3a8a5c' },
  other: { icon: ComputerIcon, color: '#66707d' },
};

export function OsIcon({ os, size = 36 }: { os: OsType | 'inaccessible'; size?: number }) {
  const { icon: Icon, color } =
    os === 'inaccessible' ? { icon: WarningIcon, color: '#9a6b00' } : LOOK[os];
  return (
    <Avatar
      variant="rounded"
      aria-hidden
      sx={{ width: size, height: size, bgcolor: color, color: '#fff' }}
    >
      <Icon sx={{ fontSize: size * 0.6 }} />
    </Avatar>
  );
}
