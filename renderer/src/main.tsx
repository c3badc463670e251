import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { toastCallFailure } from './app/callFailureToast';
import { StudioGate } from './app/StudioGate';
import { setCallFailureReporter } from './lib/api';
import { browserTokenMissing } from './lib/transport';
import './app/styles.css';

setCallFailureReporter(toastCallFailure);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {browserTokenMissing() ? (
      <main className="screen" data-testid="token-missing">
        <h1>This studio needs its access token</h1>
        <p>Open the full URL that `church serve` printed (it ends in ?token=…). The token stays in this tab only.</p>
      </main>
    ) : (
      <StudioGate />
    )}
  </StrictMode>,
);
