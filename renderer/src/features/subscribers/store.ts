import { create } from 'zustand';
import type { RequestInput } from '../../../../shared/contract';
import type { CustomerDetail, PaidTier, StripeMetrics, StripeProductTier, StripeStatus, SubscriberPage, SubscriberSortKey, SubscriptionStatus, SyncProgress, SyncReport } from '../../../../shared/dto/stripe';
import { call, CallError, subscribe } from '../../lib/api';
import { useToasts } from '../../lib/stores/toasts';

export const PAGE_SIZE = 100;

export interface SubscriberFilters {
  search: string;
  status: SubscriptionStatus[];
  sort: SubscriberSortKey;
  dir: 'asc' | 'desc';
  page: number;
}

interface SubscribersState {
  status: StripeStatus | null;
  progress: SyncProgress | null;
  filters: SubscriberFilters;
  page: SubscriberPage | null;
  metrics: StripeMetrics | null;
  customer: CustomerDetail | null;
  products: StripeProductTier[];
  tab: 'subscribers' | 'metrics';
  loadStatus(): Promise<void>;
  loadPage(): Promise<void>;
  loadMetrics(): Promise<void>;
  setFilters(patch: Partial<SubscriberFilters>): void;
  setTab(tab: 'subscribers' | 'metrics'): void;
  sortBy(key: SubscriberSortKey): void;
  sync(full?: boolean): Promise<void>;
  cancel(): Promise<void>;
  openCustomer(id: string | null): Promise<void>;
  exportCsv(): Promise<void>;
  saveKey(key: string): Promise<boolean>;
  clearKey(): Promise<void>;
  saveWebhookSecret(secret: string | null): Promise<boolean>;
  saveSettings(patch: RequestInput<'stripe.setSettings'>): Promise<void>;
  loadProducts(): Promise<void>;
  setProductTier(productId: string, tier: PaidTier): Promise<void>;
}

function query(f: SubscriberFilters) {
  return { search: f.search || undefined, status: f.status.length ? f.status : undefined, sort: f.sort, dir: f.dir };
}

let searchTimer: ReturnType<typeof setTimeout> | null = null;

export const useSubscribers = create<SubscribersState>((set, get) => ({
  status: null,
  progress: null,
  filters: { search: '', status: [], sort: 'created', dir: 'desc', page: 0 },
  page: null,
  metrics: null,
  customer: null,
  products: [],
  tab: 'subscribers',
  loadStatus: async () => {
    try {
      const status = await call('stripe.status', {}, { quiet: true });
      set({ status, progress: status.running ?? get().progress });
    } catch {
      // the status bar shows nothing until the studio answers
    }
  },
  loadPage: async () => {
    const f = get().filters;
    try {
      const page = await call('stripe.subscribers', { ...query(f), offset: f.page * PAGE_SIZE, limit: PAGE_SIZE });
      set({ page });
    } catch {
      // call() showed why
    }
  },
  loadMetrics: async () => {
    try {
      set({ metrics: await call('stripe.metrics', {}) });
    } catch {
      // call() showed why
    }
  },
  setFilters: (patch) => {
    set({ filters: { ...get().filters, page: 0, ...patch } });
    // Typing in the search box asks once the typing pauses.
    if (searchTimer) clearTimeout(searchTimer);
    searchTimer = setTimeout(() => void get().loadPage(), 'search' in patch ? 150 : 0);
  },
  setTab: (tab) => {
    set({ tab });
    if (tab === 'metrics') void get().loadMetrics();
  },
  sortBy: (key) => {
    const f = get().filters;
    get().setFilters({ sort: key, dir: f.sort === key && f.dir === 'desc' ? 'asc' : 'desc' });
  },
  sync: async (full = false) => {
    try {
      // The stripe.synced event refreshes the screen (also for syncs started elsewhere: CLI, another window).
      await call('stripe.sync', { full }, { quiet: true });
    } catch (e) {
      // A very long backfill can outlast the transport's call timeout; it goes on, and its events still arrive.
      if (e instanceof CallError && e.error.code !== 'TIMEOUT') useToasts.getState().push({ level: 'error', message: e.message, code: e.error.code });
    }
  },
  cancel: async () => {
    await call('stripe.cancelSync', {});
  },
  openCustomer: async (id) => {
    if (!id) return set({ customer: null });
    try {
      set({ customer: await call('stripe.customer', { id }) });
    } catch {
      // call() showed why
    }
  },
  exportCsv: async () => {
    const out = await call('stripe.exportCsv', query(get().filters));
    const url = URL.createObjectURL(new Blob([out.csv], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = out.filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
  },
  saveKey: async (key) => {
    try {
      set({ status: await call('stripe.setKey', { key }) });
      return true;
    } catch {
      return false;
    }
  },
  clearKey: async () => {
    set({ status: await call('stripe.clearKey', {}) });
  },
  saveWebhookSecret: async (secret) => {
    try {
      set({ status: await call('stripe.setWebhookSecret', { secret }) });
      return true;
    } catch {
      return false;
    }
  },
  saveSettings: async (patch) => {
    try {
      set({ status: await call('stripe.setSettings', patch) });
    } catch {
      // call() showed why
    }
  },
  loadProducts: async () => {
    try {
      set({ products: await call('stripe.products', {}, { quiet: true }) });
    } catch {
      // shown as "no products synced"
    }
  },
  setProductTier: async (productId, tier) => {
    const current = get().status?.settings.productTiers ?? {};
    await get().saveSettings({ productTiers: { ...current, [productId]: tier } });
    await get().loadProducts();
    void get().loadPage();
  },
}));

function applyReport(report: SyncReport): void {
  const s = useSubscribers.getState();
  useSubscribers.setState({ progress: null });
  void s.loadStatus();
  void s.loadPage();
  void s.loadProducts();
  if (s.tab === 'metrics') void s.loadMetrics();
  if (s.customer) void s.openCustomer(s.customer.id);
  if (report.outcome === 'partial' || !report.ok) {
    useToasts.getState().push({ level: report.ok ? 'warning' : report.outcome === 'cancelled' ? 'info' : 'error', message: report.message ?? `sync ${report.outcome}` });
  }
}

let connected = false;

/** Event subscriptions of this domain, set up once whichever component mounts first (status bar or screen). */
export function connectSubscribers(): void {
  if (connected) return;
  connected = true;
  subscribe('stripe.progress', (p) => useSubscribers.setState({ progress: p }));
  subscribe('stripe.synced', (r) => applyReport(r));
  void useSubscribers.getState().loadStatus();
}
