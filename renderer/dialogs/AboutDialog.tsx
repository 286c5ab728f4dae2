/** Version and where things are: what a bug report needs. */
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
} from '@mui/material';
import { useTranslation } from 'react-i18next';
import logoUrl from '../../assets/icons/glaunch.svg';
import { useAppContext } from '../app/prefs-context';
import { Facts } from '../details/Section';

export function AboutDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const { info } = useAppContext();
  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="about-title"
      slotProps={{ paper: { 'data-testid': 'about-dialog' } as object }}
    >
      <DialogTitle id="about-title">{t('about.title')}</DialogTitle>
      <DialogContent>
        <Box sx={{ display: 'flex', gap: 2, alignItems: 'flex-start', mb: 2 }}>
          <Box component="img" src={logoUrl} alt="" sx={{ width: 64, height: 64, flexShrink: 0 }} />
          <Typography>{t('about.body')}</Typography>
        </Box>
        <Facts
          rows={[
            [t('about.version'), info.version],
            [
              t('about.mode'),
              info.mode === 'electron' ? t('about.modeElectron') : t('about.modeWeb'),
            ],
            [t('about.platform'), info.platform],
            [t('about.library'), <code key="l">{info.libraryPath}</code>],
          ]}
        />
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2 }}>
        <Button onClick={onClose} variant="contained" autoFocus>
          {t('common.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
