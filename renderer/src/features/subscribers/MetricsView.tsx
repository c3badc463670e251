import { ageText, formatMinor, type StripeMetrics } from '../../../../shared/dto/stripe';
import { MonthChart } from './MonthChart';

interface Figure {
  id: string;
  label: string;
  value: string;
  definition: string;
  tone?: 'bad' | 'warn';
}

function figures(m: StripeMetrics): Figure[] {
  const money = (v: number) => formatMinor(v, m.currency);
  return [
    { id: 'mrr', label: 'MRR', value: money(m.mrr), definition: 'Monthly recurring revenue: every active or past-due subscription, each price turned into a monthly amount (yearly ÷ 12, weekly × 52 ÷ 12), times its quantity, less its discounts. Trials are not counted.' },
    { id: 'arr', label: 'ARR', value: money(m.arr), definition: 'MRR × 12.' },
    { id: 'active-subscribers', label: 'Paying subscribers', value: String(m.activeSubscribers), definition: 'Customers with at least one active or past-due subscription.' },
    { id: 'arpu', label: 'ARPU', value: money(m.arpu), definition: 'Average revenue per paying subscriber: MRR ÷ paying subscribers.' },
    { id: 'statuses', label: 'Active · trialing · past due', value: `${m.active} · ${m.trialing} · ${m.pastDue}`, definition: 'Subscriptions by Stripe status.', tone: m.pastDue ? 'warn' : undefined },
    { id: 'new', label: 'New (30 days)', value: String(m.newLast30Days), definition: 'Subscriptions that started in the last 30 days (trials included).' },
    { id: 'churned', label: 'Churned (30 days)', value: String(m.churnedLast30Days), definition: 'Subscriptions that ended in the last 30 days.', tone: m.churnedLast30Days ? 'warn' : undefined },
    { id: 'churn-rate', label: 'Churn rate', value: `${(m.churnRate * 100).toFixed(1)} %`, definition: 'Churned in the last 30 days ÷ subscriptions that were live (past any trial) 30 days ago.' },
    { id: 'failed', label: 'Failed payments (30 days)', value: String(m.failedPaymentsLast30Days), definition: 'Charges that failed in the last 30 days.', tone: m.failedPaymentsLast30Days ? 'bad' : undefined },
    { id: 'renewals', label: 'Renewals in 7 days', value: String(m.renewalsNext7Days), definition: 'Active or past-due subscriptions whose period ends in the next 7 days and that are not set to cancel.' },
  ];
}

export function MetricsView({ metrics }: { metrics: StripeMetrics | null }) {
  if (!metrics) return <div className="empty">Computing…</div>;
  const money = (v: number) => formatMinor(v, metrics.currency);
  const compact = (v: number) => {
    const major = v / 100;
    return major >= 1000 ? `${(major / 1000).toFixed(major >= 10_000 ? 0 : 1)}k` : major.toFixed(0);
  };
  const others = Object.entries(metrics.mrrByCurrency).filter(([c]) => c !== metrics.currency);
  return (
    <div className="metrics" data-testid="metrics">
      <p className="muted">
        From the local copy, {ageText(metrics.syncedAt)}. Money in {metrics.currency.toUpperCase()}
        {others.length ? `; other currencies kept apart: ${others.map(([c, v]) => formatMinor(v, c)).join(', ')} MRR` : ''}.
      </p>
      <div className="metric-grid">
        {figures(metrics).map((f) => (
          <div key={f.id} className={`metric ${f.tone ?? ''}`} data-testid={`metric-${f.id}`} title={f.definition}>
            <div className="metric-label">{f.label}</div>
            <div className="metric-value">{f.value}</div>
            <div className="metric-def">{f.definition}</div>
          </div>
        ))}
      </div>
      <div className="cards metric-charts">
        <div className="card">
          <h2>MRR over 12 months</h2>
          <MonthChart points={metrics.mrrHistory} kind="line" format={compact} label="MRR at the end of each month" />
          <p className="muted small">Rebuilt from each subscription's start, trial end and end dates at today's prices. Now: {money(metrics.mrr)}.</p>
        </div>
        <div className="card">
          <h2>Revenue per month</h2>
          <MonthChart points={metrics.revenueByMonth} kind="bars" format={compact} label="Paid invoices per month" />
          <p className="muted small">Amounts of paid invoices, by the month they were paid.</p>
        </div>
      </div>
    </div>
  );
}
