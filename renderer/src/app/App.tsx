import { useEffect, useState } from 'react';
import { KillReportBanner } from '../features/killswitch/KillReportBanner';
import { getTransport, subscribe } from '../lib/api';
import { isTypingTarget } from '../lib/keys';
import { screenKeyDigit, screenKeyLabel } from '../lib/screenKeys';
import { routes } from './routes';
import { NavCount } from './NavCount';
import { focusSearch } from './shortcuts';
import { ShortcutsOverlay } from './ShortcutsOverlay';
import { SkipLink } from './SkipLink';
import { StatusBar } from './StatusBar';
import { useConnection } from '../lib/stores/connection';
import { useNav } from '../lib/stores/nav';
import { useSettings, watchSystemTheme } from '../lib/stores/settings';
import { useToasts } from '../lib/stores/toasts';
import { Toasts } from '../ui/Toasts';
import { UnsavedDialog } from '../ui/UnsavedDialog';

export function App() {
  const route = useNav((s) => s.route);
  const go = useNav((s) => s.go);
  const theme = useSettings((s) => s.theme);
  const prefs = useSettings((s) => s.prefs);
  const toggleTheme = useSettings((s) => s.toggleTheme);
  const [showShortcuts, setShowShortcuts] = useState(false);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    document.documentElement.dataset.density = prefs?.density ?? 'comfortable';
    document.documentElement.dataset.motion = prefs?.reduceMotion ? 'reduce' : 'full';
  }, [prefs]);

  // Event subscriptions that are app-wide live here, once.
  useEffect(() => {
    void useSettings.getState().load();
    const offTheme = watchSystemTheme();
    let wasConnected = false;
    const offStatus = getTransport().onStatus((c) => {
      useConnection.getState().set(c);
      // Preferences may have changed while the link was down (another window, the CLI).
      if (c && !wasConnected) void useSettings.getState().load();
      wasConnected = c;
    });
    const offNotice = subscribe('system.notice', (n) => useToasts.getState().push({ level: n.level, message: n.message }));
    return () => {
      offTheme();
      offStatus();
      offNotice();
    };
  }, []);

  // App-wide shortcuts. Screen-specific keys (J/K, Q, space) are handled by their screens.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const digit = screenKeyDigit(e);
      const r = digit === null ? undefined : routes.find((x) => x.key === digit);
      if (r) {
        e.preventDefault();
        go(r.id);
        return;
      }
      if (mod && !e.altKey && !e.shiftKey) {
        if (e.key.toLowerCase() === 'k') {
          e.preventDefault();
          searchSomewhere(go);
          return;
        }
      }
      if (mod || e.altKey) return;
      if (e.key === 'Escape' && showShortcuts) {
        e.preventDefault();
        setShowShortcuts(false);
        return;
      }
      if (isTypingTarget(e.target)) return;
      if (e.key === '/') {
        e.preventDefault();
        searchSomewhere(go);
      } else if (e.key === '?') {
        e.preventDefault();
        setShowShortcuts((v) => !v);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, showShortcuts]);

  const current = routes.find((r) => r.id === route) ?? routes[0]!;
  return (
    <div className="app">
      <SkipLink />
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
            title={`${r.label} (${screenKeyLabel(r.key)})`}
            aria-keyshortcuts={screenKeyLabel(r.key).replace('⌘', 'Meta')}
            aria-current={r.id === current.id ? 'page' : undefined}
          >
            <span className="nav-icon">{r.icon}</span>
            <span className="nav-label">{r.label}</span>
            <NavCount route={r.id} />
          </button>
        ))}
        <div className="sidebar-foot">
          <button className="nav-item" onClick={() => void toggleTheme().catch(() => undefined)} title="Switch light/dark theme (more in Settings)" data-testid="theme-toggle">
            <span className="nav-icon">{theme === 'dark' ? '☾' : '☀'}</span>
            <span className="nav-label">{theme === 'dark' ? 'Dark' : 'Light'} theme</span>
          </button>
        </div>
      </nav>
      <main className="content" id="content" tabIndex={-1} data-testid={`screen-${current.id}`}>
        <KillReportBanner />
        {current.render()}
      </main>
      <StatusBar onShortcuts={() => setShowShortcuts(true)} />
      <Toasts />
      <UnsavedDialog />
      {showShortcuts && <ShortcutsOverlay screen={current.label} onClose={() => setShowShortcuts(false)} />}
    </div>
  );
}

/** Focuses the current screen's search; a screen without one sends the owner to the Library's. */
function searchSomewhere(go: (route: string) => void) {
  if (focusSearch()) return;
  go('library');
  // The Library mounts on the next frame.
  requestAnimationFrame(() => requestAnimationFrame(() => void focusSearch()));
}
