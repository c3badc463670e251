import { useEffect } from 'react';
import { KillReportBanner } from '../features/killswitch/KillReportBanner';
import { getTransport, subscribe } from '../lib/api';
import { routes } from './routes';
import { useConnection } from './stores/connection';
import { useNav } from './stores/nav';
import { useSettings } from './stores/settings';
import { useToasts } from './stores/toasts';
import { Toasts } from './Toasts';

export function App() {
  const route = useNav((s) => s.route);
  const go = useNav((s) => s.go);
  const theme = useSettings((s) => s.theme);
  const toggleTheme = useSettings((s) => s.toggleTheme);
  const connected = useConnection((s) => s.connected);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  // Event subscriptions that are app-wide live here, once.
  useEffect(() => {
    void useSettings.getState().load();
    const offStatus = getTransport().onStatus((c) => useConnection.getState().set(c));
    const offNotice = subscribe('system.notice', (n) => useToasts.getState().push({ level: n.level, message: n.message }));
    return () => {
      offStatus();
      offNotice();
    };
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const r = routes.find((x) => x.key === e.key);
      if (r) {
        e.preventDefault();
        go(r.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  const current = routes.find((r) => r.id === route) ?? routes[0]!;
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">
          <span className="brand-mark">✟</span>
          <span>Church Studio</span>
        </div>
        {routes.map((r) => (
          <button
            key={r.id}
            className={`nav-item${r.id === current.id ? ' active' : ''}`}
            onClick={() => go(r.id)}
            title={`${r.label} (Ctrl+${r.key})`}
            aria-current={r.id === current.id ? 'page' : undefined}
          >
            <span className="nav-icon">{r.icon}</span>
            {r.label}
          </button>
        ))}
        <div className="sidebar-foot">
          <button className="nav-item" onClick={() => void toggleTheme().catch(() => undefined)} title="Switch light/dark theme" data-testid="theme-toggle">
            <span className="nav-icon">{theme === 'dark' ? '☾' : '☀'}</span>
            {theme === 'dark' ? 'Dark' : 'Light'} theme
          </button>
        </div>
      </nav>
      <main className="content" data-testid={`screen-${current.id}`}>
        <KillReportBanner />
        {current.render()}
      </main>
      <footer className="statusbar">
        <span className={`dot ${connected ? 'dot-ok' : 'dot-bad'}`} />
        <span data-testid="connection">{connected ? `connected (${getTransport().kind})` : 'connecting…'}</span>
      </footer>
      <Toasts />
    </div>
  );
}
