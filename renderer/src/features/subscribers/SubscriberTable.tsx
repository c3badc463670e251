import { SUBSCRIPTION_STATUSES, formatMinor, type SubscriberRow, type SubscriberSortKey, type SubscriptionStatus } from '../../../../shared/dto/stripe';
import type { AccessTier } from '../../../../shared/dto/library';
import { Button } from '../../ui/Button';
import { Chip } from '../../ui/Chip';
import { Input } from '../../ui/Input';
import { PAGE_SIZE, useSubscribers } from './store';

const COLUMNS: { key: SubscriberSortKey | null; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'E-mail' },
  { key: 'status', label: 'Status' },
  { key: null, label: 'Plan' },
  { key: 'amount', label: 'Price' },
  { key: 'mrr', label: 'MRR' },
  { key: 'currentPeriodEnd', label: 'Period ends' },
  { key: null, label: 'Last invoice' },
  { key: 'lifetimePaid', label: 'Lifetime paid' },
  { key: null, label: 'Unlocks' },
];

const STATUS_TONE: Partial<Record<SubscriptionStatus, string>> = { active: 'ok', trialing: 'info', past_due: 'warn', unpaid: 'bad', canceled: 'muted', incomplete: 'warn' };

export function StatusBadge({ status }: { status: string }) {
  return <span className={`sub-status sub-status-${STATUS_TONE[status as SubscriptionStatus] ?? 'muted'}`}>{status.replace('_', ' ')}</span>;
}

export function TierBadge({ tier }: { tier: AccessTier }) {
  return <span className={`tier tier-${tier}`}>{tier}</span>;
}

function interval(r: SubscriberRow): string {
  if (!r.interval) return '';
  return r.intervalCount > 1 ? `every ${r.intervalCount} ${r.interval}s` : `/${r.interval}`;
}

export function SubscriberTable() {
  const { page, filters, setFilters, sortBy, openCustomer, exportCsv } = useSubscribers();
  const counts = page?.statusCounts ?? {};
  const toggle = (s: SubscriptionStatus) => setFilters({ status: filters.status.includes(s) ? filters.status.filter((x) => x !== s) : [...filters.status, s] });
  const pages = page ? Math.max(1, Math.ceil(page.total / PAGE_SIZE)) : 1;
  return (
    <div className="subscribers">
      <div className="row sub-toolbar">
        <Input
          className="sub-search"
          type="search"
          placeholder="Search name, e-mail, id or plan  ( / )"
          value={filters.search}
          onChange={(e) => setFilters({ search: e.target.value })}
          data-search
          data-testid="subscriber-search"
        />
        <div className="sub-filters" role="group" aria-label="Filter by status">
          {SUBSCRIPTION_STATUSES.filter((s) => counts[s] || filters.status.includes(s)).map((s) => (
            <Chip key={s} pressed={filters.status.includes(s)} onToggle={() => toggle(s)} testId={`filter-${s}`}>
              {s.replace('_', ' ')} <span className="muted">{counts[s] ?? 0}</span>
            </Chip>
          ))}
        </div>
        <Button variant="secondary" onClick={() => void exportCsv()} disabled={!page?.total} data-testid="export-csv">
          Export CSV
        </Button>
      </div>
      {page && page.total === 0 ? (
        <div className="empty">No subscriber matches. Clear the search or the status filters.</div>
      ) : (
        <table className="table sub-table" data-testid="subscriber-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.label} aria-sort={c.key && filters.sort === c.key ? (filters.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                  {c.key ? (
                    <Button variant="ghost" size="small" className="sort" onClick={() => sortBy(c.key!)} data-testid={`sort-${c.key}`}>
                      {c.label}
                      {filters.sort === c.key ? (filters.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                    </Button>
                  ) : (
                    c.label
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page?.rows.map((r) => (
              <tr key={r.subscriptionId} onClick={() => void openCustomer(r.customerId)} className="clickable" data-testid="subscriber-row">
                <td>{r.name ?? <span className="muted">{r.customerId}</span>}</td>
                <td>{r.email}</td>
                <td>
                  <StatusBadge status={r.status} />
                  {r.cancelAtPeriodEnd && <span className="sub-ends" title="Set to cancel at the end of the period"> ends</span>}
                </td>
                <td>{r.product}</td>
                <td className="num">
                  {formatMinor(r.amount, r.currency)}
                  <span className="muted">{interval(r)}</span>
                </td>
                <td className="num">{formatMinor(r.mrr, r.currency)}</td>
                <td>{r.currentPeriodEnd?.slice(0, 10)}</td>
                <td>{r.lastInvoiceStatus && <span className={`inv-${r.lastInvoiceStatus}`}>{r.lastInvoiceStatus}</span>}</td>
                <td className="num">{formatMinor(r.lifetimePaid, r.currency)}</td>
                <td>
                  <TierBadge tier={r.accessTier} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && page.total > PAGE_SIZE && (
        <div className="row sub-pager">
          <Button variant="secondary" disabled={filters.page === 0} onClick={() => setFilters({ page: filters.page - 1 })}>
            ‹ Previous
          </Button>
          <span className="muted">
            page {filters.page + 1} of {pages} · {page.total} subscriptions
          </span>
          <Button variant="secondary" disabled={filters.page + 1 >= pages} onClick={() => setFilters({ page: filters.page + 1 })}>
            Next ›
          </Button>
        </div>
      )}
      {page && page.total <= PAGE_SIZE && page.total > 0 && <p className="muted small" data-testid="subscriber-total">{page.total} subscriptions</p>}
    </div>
  );
}
