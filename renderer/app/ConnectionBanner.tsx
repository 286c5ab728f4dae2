/** Web mode only: tells the user when the server is unreachable instead of failing silently. */
import { Alert, Button } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { useConnectionState } from '../api/context';

export function ConnectionBanner() {
  const { t } = useTranslation();
  const state = useConnectionState();
  if (state === 'open' || state === 'connecting') return null;
  if (state === 'incompatible')
    return (
      <Alert
        severity="error"
        square
        data-testid="connection-banner"
        action={
          <Button color="inherit" size="small" onClick={() => window.location.reload()}>
            {t('app.reload')}
          </Button>
        }
      >
        {t('app.incompatible')}
      </Alert>
    );
  return (
    <Alert severity="warning" square role="status" data-testid="connection-banner">
      {t('app.reconnecting')}
    </Alert>
  );
}
