/**
 * One details section. The whole header is a button that opens Settings on the matching tab,
 * like VirtualBox's clickable section titles; it is a real button, so Tab/Enter/Space work.
 */
import type { ReactNode } from 'react';
import { Box, ButtonBase, Paper, Typography } from '@mui/material';
import EditIcon from '@mui/icons-material/EditOutlined';
import { useTranslation } from 'react-i18next';

interface Props {
  id: string;
  title: string;
  icon: ReactNode;
  onOpen(): void;
  children: ReactNode;
}

export function Section({ id, title, icon, onOpen, children }: Props) {
  const { t } = useTranslation();
  return (
    <Paper variant="outlined" component="section" aria-label={title} sx={{ overflow: 'hidden' }}>
      <ButtonBase
        onClick={onOpen}
        data-testid={`details-section-${id}`}
        aria-label={t('details.editSection', { section: title })}
        sx={{
          width: '100%',
          justifyContent: 'flex-start',
          gap: 1,
          px: 2,
          py: 1,
          bgcolor: 'action.hover',
          color: 'text.primary',
          '& .edit': { opacity: 0.45 },
          '&:hover .edit, &.Mui-focusVisible .edit': { opacity: 1 },
          '&.Mui-focusVisible': { outline: 2, outlineColor: 'primary.main', outlineOffset: -2 },
        }}
      >
        <Box sx={{ display: 'flex', color: 'primary.main' }}>{icon}</Box>
        <Typography
          component="h3"
          sx={{ fontWeight: 600, fontSize: 15, flex: 1, textAlign: 'left' }}
        >
          {title}
        </Typography>
        <EditIcon className="edit" fontSize="small" />
      </ButtonBase>
      <Box sx={{ px: 2, py: 1.5 }}>{children}</Box>
    </Paper>
  );
}

/** A two-column list of label/value rows. */
export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <Box
      component="dl"
      sx={{
        m: 0,
        display: 'grid',
        gridTemplateColumns: 'minmax(110px, max-content) 1fr',
        columnGap: 2,
        rowGap: 0.75,
        fontSize: 14,
        '& dt': { color: 'text.secondary' },
        '& dd': { m: 0, minWidth: 0, overflowWrap: 'anywhere' },
      }}
    >
      {rows.map(([k, v], i) => (
        <Box key={i} sx={{ display: 'contents' }}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </Box>
      ))}
    </Box>
  );
}
