/**
 * Light and dark MUI themes. The font stack is the system UI font: the app is offline and its
 * CSP forbids remote fonts, and a desktop manager should look native anyway.
 */
import { createTheme } from '@mui/material/styles';
import type { Theme } from '@mui/material/styles';

const fontFamily = [
  'system-ui',
  '-apple-system',
  '"Segoe UI"',
  'Roboto',
  'Ubuntu',
  'Cantarell',
  '"Noto Sans"',
  '"DejaVu Sans"',
  'sans-serif',
].join(',');

export function createAppTheme(mode: 'light' | 'dark'): Theme {
  const focus = mode === 'light' ? '#1f5fa8' : '#9cc5ff';
  return createTheme({
    palette: {
      mode,
      primary: { main: mode === 'light' ? '#1f5fa8' : '#7fb4ff' },
      secondary: { main: mode === 'light' ? '#7a3fb0' : '#c9a2f2' },
      background:
        mode === 'light'
          ? { default: '#f3f5f8', paper: '#ffffff' }
          : { default: '#15181d', paper: '#1d2128' },
    },
    typography: { fontFamily, fontSize: 14, button: { textTransform: 'none' } },
    shape: { borderRadius: 6 },
    components: {
      // MUI marks keyboard focus with a faint background only; a desktop app used from the
      // keyboard needs a ring that is visible on every control.
      MuiButtonBase: {
        styleOverrides: {
          root: {
            '&.Mui-focusVisible': { outline: `2px solid ${focus}`, outlineOffset: -2 },
          },
        },
      },
      // The ring above replaces MUI's pulsating focus ripple; both at once look muddled.
      MuiButton: { defaultProps: { disableFocusRipple: true } },
      MuiIconButton: { defaultProps: { disableFocusRipple: true } },
      MuiTooltip: { defaultProps: { enterDelay: 500, arrow: true } },
      // MUI lightens elevated surfaces in dark mode with a gradient; dialogs get a flat,
      // slightly lighter surface instead so outlined groups inside them stay readable.
      MuiDialog: {
        defaultProps: { maxWidth: 'md' },
        styleOverrides: {
          paper: mode === 'dark' ? { backgroundImage: 'none', backgroundColor: '#242a33' } : {},
        },
      },
    },
  });
}
