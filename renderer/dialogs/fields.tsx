/** Form fields shared by the dialogs. */
import { useState } from 'react';
import { Box, Button, TextField } from '@mui/material';
import type { TextFieldProps } from '@mui/material';
import FolderIcon from '@mui/icons-material/FolderOpenOutlined';
import { useTranslation } from 'react-i18next';
import type { PickFileOptions } from '../../main/common/api';
import { ApiError } from '../../main/common/api-error';
import { useApi } from '../api/context';
import { useAppContext } from '../app/prefs-context';
import { translateProblem } from '../forms/problems';

/** Translated error text for a field, or undefined. */
export function useProblemText(): (message: string | undefined) => string | undefined {
  const { t } = useTranslation();
  return (m) => (m === undefined ? undefined : translateProblem(m, t));
}

type NumberFieldProps = Omit<TextFieldProps, 'value' | 'onChange' | 'type'> & {
  value: number;
  onChange(v: number): void;
  testId?: string;
};

/**
 * A whole-number field that lets the user type freely (empty, "-", ...) and reports NaN for
 * anything that is not a whole number, so the schema can say what is wrong.
 */
export function NumberField({ value, onChange, testId, slotProps, ...rest }: NumberFieldProps) {
  const [text, setText] = useState(String(value));
  const parsed = parseWhole(text);
  // Follow outside changes (slider, preset clamp) without fighting the user's typing.
  const same = parsed === value || (Number.isNaN(parsed) && Number.isNaN(value));
  return (
    <TextField
      {...rest}
      value={same ? text : String(value)}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseWhole(e.target.value));
      }}
      slotProps={{
        ...slotProps,
        htmlInput: {
          inputMode: 'numeric',
          'data-testid': testId,
          ...(slotProps?.htmlInput as object),
        },
      }}
    />
  );
}

function parseWhole(s: string): number {
  return /^-?\d+$/.test(s.trim()) ? Number(s.trim()) : Number.NaN;
}

interface PathFieldProps {
  label: string;
  value: string;
  onChange(v: string): void;
  error?: string;
  helperText?: string;
  pick: PickFileOptions;
  testId?: string;
  disabled?: boolean;
  autoFocus?: boolean;
}

/**
 * A file path: typed in, or chosen with the native dialog when the host has one (Electron).
 * In web mode there is no way to learn a local path from the browser, so only typing works.
 */
export function PathField({
  label,
  value,
  onChange,
  error,
  helperText,
  pick,
  testId,
  disabled,
  autoFocus,
}: PathFieldProps) {
  const api = useApi();
  const { t } = useTranslation();
  const { info } = useAppContext();
  const [pickError, setPickError] = useState<string | null>(null);
  const browse = async () => {
    try {
      const p = await api.pickFile(pick);
      if (p !== null) onChange(p);
      setPickError(null);
    } catch (e) {
      setPickError(
        e instanceof ApiError && e.code === 'unsupported'
          ? t('errors.pickUnsupported')
          : t('errors.generic', { message: (e as Error).message }),
      );
    }
  };
  return (
    <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}>
      <TextField
        fullWidth
        label={label}
        value={value}
        disabled={disabled}
        autoFocus={autoFocus}
        onChange={(e) => onChange(e.target.value)}
        error={Boolean(error || pickError)}
        helperText={error ?? pickError ?? helperText}
        slotProps={{ htmlInput: { 'data-testid': testId, spellCheck: false } }}
      />
      {info.nativeDialogs && (
        <Button
          variant="outlined"
          onClick={() => void browse()}
          disabled={disabled}
          startIcon={<FolderIcon />}
          sx={{ flexShrink: 0, height: 56 }}
          data-testid={testId ? `${testId}-browse` : undefined}
        >
          {t('common.browse')}
        </Button>
      )}
    </Box>
  );
}

/** File dialog options for disk and ISO images, with translated filter names. */
export function usePickOptions() {
  const { t } = useTranslation();
  return {
    disk: {
      title: t('wizard.pickDisk'),
      filters: [
        { name: t('medium.disk'), extensions: ['img', 'raw', 'bin'] },
        { name: t('pick.allFiles'), extensions: ['*'] },
      ],
    },
    iso: {
      title: t('wizard.pickIso'),
      filters: [
        { name: t('medium.optical'), extensions: ['iso'] },
        { name: t('pick.allFiles'), extensions: ['*'] },
      ],
    },
  } satisfies Record<string, PickFileOptions>;
}
