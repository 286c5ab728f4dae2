/** Renderer entry: choose the transport, then hand everything else to React. */
import './zod-setup';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/context';
import { chooseTransport } from './api/transport';
import { Root } from './app/Root';
import { initI18n } from './i18n';

// Until the preferences arrive, guess the language from the browser so the first paint is
// not in the wrong language for most users.
initI18n(navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en');

const transport = chooseTransport();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider transport={transport}>
      <Root />
    </ApiProvider>
  </StrictMode>,
);
