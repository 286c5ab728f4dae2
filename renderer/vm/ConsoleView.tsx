/**
 * The console of serial port 0: an xterm.js terminal with the fit, search and web-links
 * addons. What the guest printed before the console was opened comes from the VM host's
 * scrollback (attachConsole), so closing and reopening it — or reloading the page — loses
 * nothing. Keys go to the guest as typed (UTF-8); Ctrl+Shift+C / Ctrl+Shift+V copy and paste.
 */
import { useEffect, useRef, useState } from 'react';
import {
  Box,
  Button,
  IconButton,
  Stack,
  TextField,
  Tooltip,
  Typography,
  useTheme,
} from '@mui/material';
import SearchIcon from '@mui/icons-material/Search';
import UpIcon from '@mui/icons-material/KeyboardArrowUp';
import DownIcon from '@mui/icons-material/KeyboardArrowDown';
import CopyIcon from '@mui/icons-material/ContentCopyOutlined';
import PasteIcon from '@mui/icons-material/ContentPasteOutlined';
import ZoomInIcon from '@mui/icons-material/ZoomIn';
import ZoomOutIcon from '@mui/icons-material/ZoomOut';
import { useTranslation } from 'react-i18next';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import '@xterm/xterm/css/xterm.css';
import type { VmState } from '../../main/common/api';
import { useApi } from '../api/context';
import { useRuntime } from './context';
import { formatBytes, formatUptime, fromBase64, toBase64 } from './runtime';

const FONT_KEY = 'glaunch.consoleFontSize';
const MIN_FONT = 8;
const MAX_FONT = 32;

function initialFontSize(): number {
  const v = Number(globalThis.localStorage?.getItem(FONT_KEY));
  return v >= MIN_FONT && v <= MAX_FONT ? v : 14;
}

interface Props {
  name: string;
  state: VmState;
  port?: number;
}

export function ConsoleView({ name, state, port = 0 }: Props) {
  const api = useApi();
  const { t } = useTranslation();
  const theme = useTheme();
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const search = useRef<SearchAddon | null>(null);
  const [fontSize, setFontSize] = useState(initialFontSize);
  const [query, setQuery] = useState('');
  const live = state === 'running' || state === 'paused';
  const liveRef = useRef(live);
  useEffect(() => {
    liveRef.current = live;
  }, [live]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const dark = theme.palette.mode === 'dark';
    const t0 = new Terminal({
      fontSize: initialFontSize(),
      fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace',
      scrollback: 10_000,
      cursorBlink: true,
      allowProposedApi: true,
      theme: dark
        ? { background: '#101418', foreground: '#d8dee9' }
        : {
            background: '#fbfbfd',
            foreground: '#1d2330',
            cursor: '#1d2330',
            selectionBackground: '#b4d5fe',
          },
    });
    const fit = new FitAddon();
    const s = new SearchAddon();
    t0.loadAddon(fit);
    t0.loadAddon(s);
    t0.loadAddon(new WebLinksAddon((_e, uri) => window.open(uri, '_blank', 'noopener')));
    t0.open(el);
    term.current = t0;
    search.current = s;
    const refit = () => {
      try {
        fit.fit();
      } catch {
        // not laid out yet
      }
    };
    refit();
    const ro = new ResizeObserver(refit);
    ro.observe(el);

    const encoder = new TextEncoder();
    const send = (bytes: Uint8Array) => {
      if (!liveRef.current || bytes.length === 0) return;
      api.writeConsole(name, port, toBase64(bytes)).catch(() => undefined);
    };
    const onData = t0.onData((d) => send(encoder.encode(d)));
    const onBinary = t0.onBinary((d) => send(Uint8Array.from(d, (c) => c.charCodeAt(0) & 0xff)));
    t0.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
      const k = e.key.toLowerCase();
      if (k === 'c') {
        void navigator.clipboard?.writeText(t0.getSelection());
        return false;
      }
      if (k === 'v') {
        void navigator.clipboard?.readText().then((x) => t0.paste(x));
        return false;
      }
      // Other Ctrl+Shift keys are the app's machine shortcuts.
      return false;
    });

    // Chunks that arrive before the scrollback answer are already part of it (events and
    // answers travel in order on one connection), so they are dropped; later ones are live.
    let attached = false;
    let disposed = false;
    const off = api.onConsoleData((c) => {
      if (!attached || c.name !== name || c.port !== port) return;
      t0.write(fromBase64(c.data));
    });
    api.attachConsole(name, port).then(
      (b64) => {
        if (disposed) return;
        t0.write(fromBase64(b64));
        attached = true;
      },
      () => {
        attached = true;
      },
    );
    t0.focus();
    return () => {
      disposed = true;
      off();
      onData.dispose();
      onBinary.dispose();
      ro.disconnect();
      t0.dispose();
      term.current = null;
    };
    // A new terminal per VM, port and theme; font size changes apply in place.
  }, [api, name, port, theme.palette.mode]);

  useEffect(() => {
    const t0 = term.current;
    if (!t0) return;
    t0.options.fontSize = fontSize;
    localStorage.setItem(FONT_KEY, String(fontSize));
  }, [fontSize]);

  const find = (backwards: boolean) => {
    if (!query) return;
    if (backwards) search.current?.findPrevious(query);
    else search.current?.findNext(query);
  };

  return (
    <Box
      sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}
      data-testid="console"
    >
      <Stack
        direction="row"
        spacing={0.5}
        sx={{ alignItems: 'center', px: 1, py: 0.5, flexWrap: 'wrap' }}
      >
        <TextField
          size="small"
          placeholder={t('console.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') find(e.shiftKey);
          }}
          slotProps={{
            htmlInput: { 'data-testid': 'console-search', 'aria-label': t('console.search') },
            input: {
              startAdornment: (
                <SearchIcon fontSize="small" sx={{ mr: 0.5, color: 'text.secondary' }} />
              ),
            },
          }}
          sx={{ width: 220 }}
        />
        <Tooltip title={t('console.findPrevious')}>
          <IconButton
            size="small"
            onClick={() => find(true)}
            aria-label={t('console.findPrevious')}
          >
            <UpIcon />
          </IconButton>
        </Tooltip>
        <Tooltip title={t('console.findNext')}>
          <IconButton size="small" onClick={() => find(false)} aria-label={t('console.findNext')}>
            <DownIcon />
          </IconButton>
        </Tooltip>
        <Box sx={{ flex: 1 }} />
        <Tooltip title={t('console.copyTip')}>
          <Button
            size="small"
            startIcon={<CopyIcon />}
            data-testid="console-copy"
            onClick={() => void navigator.clipboard?.writeText(term.current?.getSelection() ?? '')}
          >
            {t('console.copy')}
          </Button>
        </Tooltip>
        <Tooltip title={t('console.pasteTip')}>
          <span>
            <Button
              size="small"
              startIcon={<PasteIcon />}
              data-testid="console-paste"
              disabled={!live}
              onClick={() =>
                void navigator.clipboard?.readText().then((x) => term.current?.paste(x))
              }
            >
              {t('console.paste')}
            </Button>
          </span>
        </Tooltip>
        <Tooltip title={t('console.smaller')}>
          <IconButton
            size="small"
            data-testid="console-font-down"
            aria-label={t('console.smaller')}
            onClick={() => setFontSize((f) => Math.max(MIN_FONT, f - 1))}
          >
            <ZoomOutIcon />
          </IconButton>
        </Tooltip>
        <Typography variant="caption" sx={{ minWidth: 24, textAlign: 'center' }}>
          {fontSize}
        </Typography>
        <Tooltip title={t('console.larger')}>
          <IconButton
            size="small"
            data-testid="console-font-up"
            aria-label={t('console.larger')}
            onClick={() => setFontSize((f) => Math.min(MAX_FONT, f + 1))}
          >
            <ZoomInIcon />
          </IconButton>
        </Tooltip>
      </Stack>
      <Box
        ref={host}
        data-console="true"
        data-testid="console-terminal"
        sx={{
          flex: 1,
          minHeight: 0,
          mx: 1,
          p: 0.5,
          borderRadius: 1,
          border: 1,
          borderColor: 'divider',
          bgcolor: theme.palette.mode === 'dark' ? '#101418' : '#fbfbfd',
          overflow: 'hidden',
        }}
      />
      <ConsoleStatus name={name} state={state} />
    </Box>
  );
}

/** State, uptime and disk activity under the console. */
function ConsoleStatus({ name, state }: { name: string; state: VmState }) {
  const { t } = useTranslation();
  const rt = useRuntime(name);
  const last = rt.samples.at(-1);
  const prev = rt.samples.at(-6);
  let read = 0;
  let written = 0;
  let rateText = '';
  if (last) {
    for (const d of Object.values(last.stats.disks)) {
      read += d.readBytes;
      written += d.writtenBytes;
    }
    if (prev && last.atMs > prev.atMs) {
      let before = 0;
      for (const d of Object.values(prev.stats.disks)) before += d.readBytes + d.writtenBytes;
      const bps = ((read + written - before) * 1000) / (last.atMs - prev.atMs);
      rateText = bps > 0 ? ` · ${formatBytes(Math.round(bps))}/s` : '';
    }
  }
  return (
    <Stack
      direction="row"
      spacing={3}
      data-testid="console-status"
      sx={{ px: 1.5, py: 0.5, color: 'text.secondary', fontSize: 13, alignItems: 'center' }}
    >
      <span data-testid="console-state">{t(`state.${state}`)}</span>
      <span data-testid="console-uptime">
        {t('console.uptime', { time: last ? formatUptime(last.stats.uptimeMs) : '–' })}
      </span>
      <span data-testid="console-disk">
        {t('console.disk', { read: formatBytes(read), written: formatBytes(written) })}
        {rateText}
      </span>
    </Stack>
  );
}
