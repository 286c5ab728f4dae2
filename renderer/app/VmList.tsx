/**
 * The machine list: a single-select listbox with a roving tab stop, so Tab enters the list once
 * and the arrow keys (Home/End too) move the selection. Enter or double-click opens Settings.
 */
import { useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { Box, List, ListItemAvatar, ListItemButton, ListItemText, Tooltip } from '@mui/material';
import WarningIcon from '@mui/icons-material/WarningAmberRounded';
import { useTranslation } from 'react-i18next';
import type { VmEntry } from '../../main/common/api';
import { OsIcon } from './OsIcon';
import { entryName } from './useLibrary';

interface Props {
  entries: VmEntry[];
  selected: string | null;
  onSelect(name: string): void;
  onOpen(name: string): void;
}

export function VmList({ entries, selected, onSelect, onOpen }: Props) {
  const { t } = useTranslation();
  const items = useRef(new Map<string, HTMLElement>());
  const names = entries.map(entryName);
  const current = selected !== null && names.includes(selected) ? selected : (names[0] ?? null);

  const move = (e: KeyboardEvent) => {
    if (names.length === 0) return;
    const i = current === null ? -1 : names.indexOf(current);
    const next =
      e.key === 'ArrowDown'
        ? Math.min(names.length - 1, i + 1)
        : e.key === 'ArrowUp'
          ? Math.max(0, i - 1)
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? names.length - 1
              : null;
    if (next === null) {
      if (e.key === 'Enter' && current !== null) onOpen(current);
      return;
    }
    e.preventDefault();
    onSelect(names[next]);
    items.current.get(names[next])?.focus();
  };

  return (
    <List
      role="listbox"
      aria-label={t('list.label')}
      data-testid="vm-list"
      onKeyDown={move}
      sx={{ py: 0.5 }}
    >
      {entries.map((e) => {
        const name = entryName(e);
        const isSel = name === current;
        const item = (
          <ListItemButton
            key={name}
            role="option"
            aria-selected={isSel}
            selected={isSel}
            tabIndex={isSel ? 0 : -1}
            data-testid={`vm-list-item-${name}`}
            ref={(el: HTMLElement | null) => {
              if (el) items.current.set(name, el);
              else items.current.delete(name);
            }}
            onClick={() => onSelect(name)}
            onDoubleClick={() => e.kind === 'ok' && onOpen(name)}
            sx={{ mx: 0.5, borderRadius: 1, py: 0.75 }}
          >
            <ListItemAvatar sx={{ minWidth: 48 }}>
              <OsIcon os={e.kind === 'ok' ? e.config.osType : 'inaccessible'} />
            </ListItemAvatar>
            <ListItemText
              primary={name}
              secondary={
                e.kind === 'ok' ? (
                  t(`state.${e.state}`)
                ) : (
                  <Box
                    component="span"
                    sx={{
                      display: 'inline-flex',
                      alignItems: 'center',
                      gap: 0.5,
                      color: 'warning.main',
                    }}
                  >
                    <WarningIcon sx={{ fontSize: 16 }} />
                    {t('list.inaccessible')}
                  </Box>
                )
              }
              slotProps={{
                primary: { noWrap: true, sx: { fontWeight: 500 } },
                secondary: { noWrap: true },
              }}
            />
          </ListItemButton>
        );
        if (e.kind === 'ok') return item;
        const tip = t('list.inaccessibleTip', {
          file: e.reason.file,
          field: e.reason.field ? ` (${e.reason.field})` : '',
          problem: e.reason.problem,
        });
        return (
          // describeChild: the tip describes the option; its name stays the VM name.
          <Tooltip key={name} title={tip} placement="right" describeChild>
            {item}
          </Tooltip>
        );
      })}
    </List>
  );
}
