import { useEffect } from 'react';
import { connectSubscribers, useSubscribers } from './store';
import { CustomerPage } from './CustomerPage';
import { MetricsView } from './MetricsView';
import { SubscriberTable } from './SubscriberTable';
import { useNav } from '../../lib/stores/nav';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { Tabs } from '../../ui/Tabs';
import { STRIPE_SETTINGS_HREF, SyncControls, SyncProgressPanel } from './SyncBar';
import { KeyRotationReminder } from './KeyRotationReminder';
import './subscribers.css';

/** Who is subscribed, who is late, how the business is doing: all from the local copy, so it works offline. */
export function SubscribersScreen() {
  const { status, progress, tab, setTab, customer, openCustomer, loadPage, loadMetrics, metrics } = useSubscribers();
  useEffect(() => {
    connectSubscribers();
    void useSubscribers.getState().loadStatus();
    void loadPage();
    if (useSubscribers.getState().tab === 'metrics') void loadMetrics();
  }, [loadPage, loadMetrics]);

  const last = status?.lastSync;
  const hasData = (status?.counts.subscription ?? 0) + (status?.counts.customer ?? 0) > 0;
  return (
    <section className="screen subscribers-screen">
      <header className="screen-head">
        <h1>Subscribers</h1>
        <SyncControls />
      </header>
      <KeyRotationReminder status={status} />
      {progress?.running && <SyncProgressPanel progress={progress} />}
      {last && last.message && !progress?.running && (
        <div className={`banner ${last.ok ? 'banner-warn' : 'banner-bad'}`} data-testid="sync-message">
          <span>{last.message}</span>
        </div>
      )}
      {status && !status.key.present && !hasData ? (
        <EmptyState
          icon="♛"
          title="No Stripe key yet"
          testId="no-key"
          action={
            <Button onClick={() => useNav.getState().go(STRIPE_SETTINGS_HREF.slice(2))} data-testid="no-key-settings">
              Open Settings → Subscribers (Stripe)
            </Button>
          }
        >
          <p>
            Create a <strong>restricted key</strong> with read permissions in the Stripe Dashboard and paste it in Settings → Subscribers (Stripe) (or start
            the CLI with STRIPE_API_KEY). Nothing is fetched until then.
          </p>
        </EmptyState>
      ) : customer ? (
        <CustomerPage customer={customer} onClose={() => void openCustomer(null)} />
      ) : (
        <>
          <Tabs
            label="View"
            value={tab}
            onChange={setTab}
            tabs={[
              { value: 'subscribers', label: 'Subscribers' },
              { value: 'metrics', label: 'Metrics' },
            ]}
          />
          {tab === 'subscribers' ? <SubscriberTable /> : <MetricsView metrics={metrics} />}
        </>
      )}
    </section>
  );
}
