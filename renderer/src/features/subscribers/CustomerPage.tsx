import { useEffect, useState } from 'react';
import type { AccessTier } from '../../../../shared/dto/library';
import { ageText, formatMinor, type CustomerDetail } from '../../../../shared/dto/stripe';
import { call } from '../../lib/api';
import { Button } from '../../ui/Button';
import { StatusBadge, TierBadge } from './SubscriberTable';

const TIERS_UNLOCKED: Record<AccessTier, AccessTier[]> = { free: ['free'], subscriber: ['free', 'subscriber'], premium: ['free', 'subscriber', 'premium'] };

/** How many library items the tier opens (asked of the library; nothing when the library cannot answer). */
function useUnlockedCount(tier: AccessTier): number | null {
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    call('library.search', { tiers: TIERS_UNLOCKED[tier], limit: 1 }, { quiet: true })
      .then((page) => live && setCount(page.total))
      .catch(() => live && setCount(null));
    return () => {
      live = false;
    };
  }, [tier]);
  return count;
}

const day = (iso: string | null) => iso?.slice(0, 10) ?? '';

/** One customer from the local copy: who they are, what they subscribe to, what they were billed and paid. */
export function CustomerPage({ customer, onClose }: { customer: CustomerDetail; onClose(): void }) {
  const unlocked = useUnlockedCount(customer.accessTier);
  const cur = customer.currency ?? customer.subscriptions[0]?.items[0]?.currency ?? 'usd';
  return (
    <div className="customer-page" data-testid="customer-page">
      <div className="row spread">
        <Button variant="secondary" onClick={onClose} data-testid="customer-back">
          ‹ Subscribers
        </Button>
        <span className="muted">{ageText(customer.syncedAt)}</span>
      </div>
      <h2 className="customer-name">
        {customer.name ?? customer.id} {customer.deleted && <span className="sub-status sub-status-bad">deleted in Stripe</span>}
      </h2>
      <dl className="facts">
        <dt>E-mail</dt>
        <dd>{customer.email}</dd>
        <dt>Customer</dt>
        <dd className="mono">{customer.id}</dd>
        <dt>Since</dt>
        <dd>{day(customer.created)}</dd>
        <dt>Lifetime paid</dt>
        <dd data-testid="customer-lifetime">{formatMinor(customer.lifetimePaid, cur)}</dd>
        <dt>Unlocks</dt>
        <dd data-testid="customer-access">
          <TierBadge tier={customer.accessTier} /> {TIERS_UNLOCKED[customer.accessTier].join(' + ')} items
          {unlocked !== null ? ` (${unlocked} in the library)` : ''}
        </dd>
      </dl>
      <div className="card">
        <h2>Subscriptions</h2>
        <table className="table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Items</th>
              <th>MRR</th>
              <th>Period ends</th>
              <th>Started</th>
            </tr>
          </thead>
          <tbody>
            {customer.subscriptions.map((s) => (
              <tr key={s.id}>
                <td>
                  <StatusBadge status={s.status} />
                  {s.cancelAtPeriodEnd && <span className="sub-ends"> ends</span>}
                </td>
                <td>
                  {s.items.map((it) => (
                    <div key={it.priceId}>
                      {it.quantity > 1 ? `${it.quantity} × ` : ''}
                      {it.product} {formatMinor(it.amount, it.currency)}/{it.intervalCount > 1 ? `${it.intervalCount} ` : ''}
                      {it.interval}
                    </div>
                  ))}
                </td>
                <td className="num">{formatMinor(s.mrr, cur)}</td>
                <td>{day(s.currentPeriodEnd)}</td>
                <td>{day(s.created)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="cards">
        <div className="card">
          <h2>Invoices</h2>
          {customer.invoices.length === 0 ? (
            <p className="muted">None synced.</p>
          ) : (
            <table className="table" data-testid="customer-invoices">
              <tbody>
                {customer.invoices.map((i) => (
                  <tr key={i.id}>
                    <td>{day(i.created)}</td>
                    <td className="mono">{i.number ?? i.id}</td>
                    <td className={`inv-${i.status}`}>{i.status}</td>
                    <td className="num">{formatMinor(i.total, i.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div className="card">
          <h2>Charges</h2>
          {customer.charges.length === 0 ? (
            <p className="muted">None synced.</p>
          ) : (
            <table className="table" data-testid="customer-charges">
              <tbody>
                {customer.charges.map((c) => (
                  <tr key={c.id}>
                    <td>{day(c.created)}</td>
                    <td className={`inv-${c.status === 'succeeded' ? 'paid' : 'open'}`}>
                      {c.status}
                      {c.disputed ? ' · disputed' : ''}
                      {c.amountRefunded ? ` · refunded ${formatMinor(c.amountRefunded, c.currency)}` : ''}
                    </td>
                    <td className="num">{formatMinor(c.amount, c.currency)}</td>
                    <td className="muted">{c.failureMessage}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </div>
  );
}
