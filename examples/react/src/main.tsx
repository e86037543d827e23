// Register the elements once, before React renders them: React 19 then sets `run` and the
// other object props as properties (it checks `prop in element`), not as attributes.
import 'agentwire/define';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App backend={new URLSearchParams(location.search).get('backend') ?? 'http://127.0.0.1:8787'} />
  </StrictMode>,
);
