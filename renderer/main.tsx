/** Renderer entry: choose the transport, then hand everything else to React. */
import './zod-setup';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/context';
import { chooseTransport } from './api/transport';
import { Root } from './app/Root';
import { initI18n } from './i18n';
import logoUrl from '../assets/icons/glaunch.svg';

// Until the preferences arrive, guess the language from the browser so the first paint is
// not in the wrong language for most users.
initI18n(navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en');

// The app icon as the window/tab icon (a data: URL, so no extra file and no CSP exception).
const icon = document.createElement('link');
icon.rel = 'icon';
icon.href = logoUrl;
document.head.appendChild(icon);

const transport = chooseTransport();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider transport={transport}>
      <Root />
    </ApiProvider>
  </StrictMode>,
);
