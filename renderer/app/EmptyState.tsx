/** What a new user sees: what Glaunch is for and the one thing to do first. */
import { Box, Button, Paper, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/AddCircleOutlineOutlined';
import ChipIcon from '@mui/icons-material/MemoryOutlined';
import { useTranslation } from 'react-i18next';
import { useAppContext } from './prefs-context';

export function EmptyState({ onCreate }: { onCreate(): void }) {
  const { t } = useTranslation();
  const { info } = useAppContext();
  return (
    <Box
      sx={{ flex: 1, display: 'grid', placeItems: 'center', p: 3, overflowY: 'auto' }}
      data-testid="empty-state"
    >
      <Paper variant="outlined" sx={{ maxWidth: 560, p: 4, textAlign: 'center' }}>
        <ChipIcon sx={{ fontSize: 56, color: 'primary.main', mb: 1 }} aria-hidden />
        <Typography variant="h5" component="h2" sx={{ fontWeight: 600, mb: 1.5 }}>
          {t('empty.title')}
        </Typography>
        <Typography sx={{ color: 'text.secondary', mb: 3 }}>{t('empty.body')}</Typography>
        <Button
          variant="contained"
          size="large"
          startIcon={<AddIcon />}
          onClick={onCreate}
          data-testid="empty-create"
        >
          {t('empty.create')}
        </Button>
        <Typography
          variant="body2"
          sx={{ color: 'text.secondary', mt: 3, overflowWrap: 'anywhere' }}
        >
          {t('empty.library', { path: info.libraryPath })}
        </Typography>
      </Paper>
    </Box>
  );
}
