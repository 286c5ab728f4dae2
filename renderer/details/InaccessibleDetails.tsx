/**
 * A machine whose vm.json cannot be used: say exactly why (file, field, problem) and offer
 * only removal from the library. Nothing here writes to its files.
 */
import { Alert, AlertTitle, Box, Button } from '@mui/material';
import RemoveIcon from '@mui/icons-material/DeleteOutlined';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { InaccessibleReason } from '../../main/common/api';
import { Facts } from './Section';

interface Props {
  name: string;
  folder: string;
  reason: InaccessibleReason;
  onRemove(): void;
}

export function InaccessibleDetails({ name, folder, reason, onRemove }: Props) {
  const { t } = useTranslation();
  return (
    <Box data-testid="details" component="main" sx={{ p: 3, maxWidth: 820 }}>
      <Alert
        severity="warning"
        data-testid="inaccessible-reason"
        sx={{ '& .MuiAlert-message': { width: '100%' } }}
      >
        <AlertTitle>{t('inaccessible.title', { name })}</AlertTitle>
        <Box sx={{ mb: 2 }}>{t('inaccessible.body')}</Box>
        <Facts
          rows={[
            [t('inaccessible.file'), <code key="f">{joinPath(folder, reason.file)}</code>],
            ...(reason.field
              ? [
                  [t('inaccessible.field'), <code key="d">{reason.field}</code>] as [
                    string,
                    ReactNode,
                  ],
                ]
              : []),
            [t('inaccessible.problem'), reason.problem],
          ]}
        />
      </Alert>
      <Button
        sx={{ mt: 2 }}
        variant="outlined"
        color="warning"
        startIcon={<RemoveIcon />}
        onClick={onRemove}
        data-testid="inaccessible-remove"
      >
        {t('inaccessible.remove')}
      </Button>
    </Box>
  );
}

/** The reason's file is usually relative to the VM folder; show where it actually is. */
function joinPath(folder: string, file: string): string {
  if (/^([a-zA-Z]:)?[\\/]/.test(file) || file.startsWith(folder)) return file;
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return `${folder.replace(/[\\/]+$/, '')}${sep}${file}`;
}
