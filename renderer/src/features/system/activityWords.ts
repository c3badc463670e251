import type { AuditEntry } from '../../../../shared/dto/system';

/** One audit entry as the owner reads it: "Library: 3 videos edited", the item it concerns, who did it. */
export interface ActivityWords {
  /** The area as the sidebar names it, then what happened: "Library: 3 videos edited". */
  what: string;
  /** What it concerns, when the entry says ("video #12", "collection “Morning”", "job #4"); null when nothing. */
  item: string | null;
  /** The one video it concerns, for a link to its page. */
  videoId: number | null;
}

type Input = Record<string, unknown>;
type Describe = (i: Input) => { what: string; item?: string | null; videoId?: number | null };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const videos = (ids: unknown) => plural(list(ids).length, 'video');
const quoted = (s: string) => `“${s}”`;

/** What a bulk edit changed: "tags +live −draft · rating 4 · favourite". */
function bulkChanges(i: Input): string | null {
  const parts: string[] = [];
  const add = list(i.addTags).map(String);
  const remove = list(i.removeTags).map(String);
  if (add.length || remove.length) parts.push(`tags ${[...add.map((t) => `+${t}`), ...remove.map((t) => `−${t}`)].join(' ')}`);
  if (num(i.rating) !== null) parts.push(i.rating === 0 ? 'rating cleared' : `rating ${String(i.rating)}`);
  if (typeof i.favourite === 'boolean') parts.push(i.favourite ? 'marked favourite' : 'favourite removed');
  if (str(i.tier)) parts.push(`tier ${String(i.tier)}`);
  if (num(i.addToCollectionId) !== null) parts.push(`added to collection #${String(i.addToCollectionId)}`);
  if (num(i.removeFromCollectionId) !== null) parts.push(`taken out of collection #${String(i.removeFromCollectionId)}`);
  return parts.length ? parts.join(' · ') : null;
}

const oneVideo = (ids: unknown) => {
  const all = list(ids);
  return all.length === 1 ? num(all[0]) : null;
};

const changed = (area: string, what: string): Describe => () => ({ what: `${area}: ${what}` });

const LIBRARY: Record<string, Describe> = {
  'library.import': (i) => ({ what: `Library: import of ${plural(list(i.paths).length, 'file or folder', 'files and folders')}`, item: list(i.paths).map(String).slice(0, 3).join(', ') || null }),
  'library.scan': (i) => ({ what: num(i.rootId) === null ? 'Library: every folder rescanned' : 'Library: folder rescanned', item: num(i.rootId) === null ? null : `folder #${String(i.rootId)}` }),
  'library.cancelImport': changed('Library', 'import cancelled'),
  'library.update': (i) => ({ what: 'Library: 1 video edited', item: `video #${String(i.id)}${i.patch && typeof i.patch === 'object' ? ` (${Object.keys(i.patch).join(', ')})` : ''}`, videoId: num(i.id) }),
  'library.bulkUpdate': (i) => ({ what: `Library: ${videos(i.ids)} edited`, item: bulkChanges(i), videoId: oneVideo(i.ids) }),
  'library.remove': (i) => ({ what: `Library: ${videos(i.ids)} removed`, videoId: oneVideo(i.ids) }),
  'library.createCollection': (i) => ({ what: 'Library: collection created', item: str(i.name) && quoted(String(i.name)) }),
  'library.updateCollection': (i) => ({ what: 'Library: collection changed', item: str(i.name) ? quoted(String(i.name)) : `collection #${String(i.id)}` }),
  'library.deleteCollection': (i) => ({ what: 'Library: collection deleted', item: `collection #${String(i.id)}` }),
  'library.reorderCollections': changed('Library', 'collections reordered'),
  'library.setCollectionItems': (i) => ({ what: 'Library: collection contents changed', item: `collection #${String(i.id)}, ${videos(i.videoIds)}` }),
  'library.removeRoot': (i) => ({ what: 'Library: folder removed from the library', item: `folder #${String(i.id)}` }),
  'library.regenerateAssets': (i) => ({ what: `Library: thumbnails and previews remade for ${videos(i.ids)}`, videoId: oneVideo(i.ids) }),
};

const JOBS: Record<string, Describe> = {
  'jobs.enqueue': (i) => ({ what: 'Jobs: job queued', item: `${str(i.preset) ?? 'a preset'} on video #${String(i.videoId)}`, videoId: num(i.videoId) }),
  'jobs.cancel': (i) => ({ what: 'Jobs: job cancelled', item: `job #${String(i.id)}` }),
  'jobs.retry': (i) => ({ what: 'Jobs: job retried', item: `job #${String(i.id)}` }),
  'jobs.pause': changed('Jobs', 'queue paused'),
  'jobs.resume': changed('Jobs', 'queue resumed'),
  'jobs.setSettings': changed('Settings', 'job settings changed'),
};

const killRun = (what: string): Describe => (i) => ({ what: `Kill switch: ${what}`, item: num(i.runId) === null ? null : `run #${String(i.runId)}` });

const SAFETY: Record<string, Describe> = {
  'killswitch.setPlan': changed('Kill switch', 'plan edited'),
  'killswitch.trigger': (i) => ({ what: i.dryRun ? 'Kill switch: rehearsed' : 'Kill switch: triggered', item: str(i.reason) }),
  'killswitch.acceptPlan': changed('Kill switch', 'plan accepted'),
  'killswitch.acknowledge': (i) => ({ what: 'Kill switch: report acknowledged', item: `run #${String(i.id)}` }),
  'killswitch.report': killRun('run finished'),
  'killswitch.report (before power-off)': killRun('run finished before power-off'),
  'monitor.setSettings': changed('Settings', 'monitor and alert settings changed'),
  'monitor.setSmtpPassword': changed('Settings', 'e-mail password changed'),
  'monitor.setPrometheusToken': changed('Settings', 'Prometheus token changed'),
  'monitor.testEmail': changed('Monitor', 'test e-mail sent'),
  'monitor.setChannelSecret': (i) => ({ what: 'Settings: alert channel secret changed', item: str(i.channel) }),
  'monitor.testChannel': (i) => ({ what: 'Monitor: test alert sent', item: str(i.channel) }),
  'monitor.pauseJobs': (i) => ({ what: 'Monitor: an alert rule paused the jobs', item: str(i.series) ?? str(i.rule) }),
  'monitor.killSwitch': (i) => ({ what: 'Monitor: an alert rule triggered the kill switch', item: str(i.series) ?? str(i.rule) }),
  'recovery.choose': (i) => ({ what: i.choice === 'restore-newest' ? 'Recovery: newest snapshot restored' : i.choice === 'start-empty' ? 'Recovery: database kept aside, started empty' : 'Recovery: quit' }),
};

const SERVICES: Record<string, Describe> = {
  'stripe.rotateKey': changed('Subscribers', 'Stripe key rotated'),
  'stripe.keyRotated': changed('Subscribers', 'Stripe key rotated'),
  'stripe.setKey': changed('Subscribers', 'Stripe key set'),
  'stripe.clearKey': changed('Subscribers', 'Stripe key forgotten'),
  'stripe.setWebhookSecret': changed('Subscribers', 'webhook secret changed'),
  'stripe.setSettings': changed('Settings', 'Stripe settings changed'),
  'stripe.sync': (i) => ({ what: i.full ? 'Subscribers: full sync' : 'Subscribers: sync' }),
  'stripe.cancelSync': changed('Subscribers', 'sync cancelled'),
  'avatar.saveTrack': (i) => ({ what: 'Avatar: cues saved', item: `video #${String(i.videoId)}, ${plural(list(i.cues).length, 'cue')}`, videoId: num(i.videoId) }),
  'avatar.push': (i) => ({ what: 'Avatar: cue shown', item: `video #${String(i.videoId)}`, videoId: num(i.videoId) }),
  'avatar.pushScript': (i) => ({ what: 'Avatar: script played', item: `video #${String(i.videoId)}, ${plural(list(i.cues).length, 'cue')}`, videoId: num(i.videoId) }),
  'avatar.setSettings': changed('Avatar', 'settings changed'),
  'backup.run': (i) => ({ what: i.restic ? 'Backups: snapshot taken and copied to restic' : 'Backups: snapshot taken' }),
  'backup.restore': (i) => ({ what: 'Backups: snapshot restored', item: str(i.id) }),
  'backup.setSettings': changed('Settings', 'backup settings changed'),
  'secrets.acceptWeakStore': (i) => ({ what: i.accept ? 'Settings: secrets kept without an OS keychain' : 'Settings: keeping secrets without a keychain withdrawn' }),
  'lab.pauseAgent': (i) => ({ what: i.paused ? 'Lab: agent paused' : 'Lab: agent resumed', item: str(i.name) }),
  'lab.setSettings': changed('Settings', 'lab settings changed'),
  'lab.apply': changed('Lab', 'settings applied'),
  'lab.setPassword': (i) => ({ what: i.password === null ? 'Settings: lab password forgotten' : 'Settings: lab password changed' }),
  'mcp.setConfig': changed('Settings', 'MCP rate limits changed'),
  'mcp.resource': (i) => ({ what: 'MCP: an agent read a resource', item: str(i.uri) }),
  'preferences.set': (i) => ({ what: 'Settings: appearance changed', item: Object.entries(i).map(([k, v]) => `${k} ${String(v)}`).join(', ') || null }),
  'audit.setFileSettings': changed('Settings', 'audit file settings changed'),
};

const WORDS: Record<string, Describe> = { ...LIBRARY, ...JOBS, ...SAFETY, ...SERVICES };

const AREA: Record<string, string> = { library: 'Library', jobs: 'Jobs', monitor: 'Monitor', killswitch: 'Kill switch', stripe: 'Subscribers', avatar: 'Avatar', backup: 'Backups', lab: 'Lab', mcp: 'MCP', recovery: 'Recovery', secrets: 'Settings', audit: 'Settings', preferences: 'Settings' };

/** An action no table row knows (a newer studio's): its words from its name, "monitor.alert.fired" → "Monitor: alert fired". */
function fallback(action: string): string {
  const [area = '', ...rest] = action.split('.');
  const words = rest.join(' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${AREA[area] ?? area}: ${words || 'changed'}`;
}

function parseInput(text: string): Input {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Input) : {};
  } catch {
    return {};
  }
}

export function describeActivity(e: Pick<AuditEntry, 'action' | 'input'>): ActivityWords {
  const input = parseInput(e.input);
  if (e.action.startsWith('monitor.alert.')) return { what: `Monitor: alert ${e.action.slice('monitor.alert.'.length)}`, item: str(input.title), videoId: null };
  const describe = WORDS[e.action];
  if (describe) {
    const d = describe(input);
    return { what: d.what, item: d.item ?? null, videoId: d.videoId ?? null };
  }
  if (e.action.startsWith('mcp.')) return { what: `MCP: an agent used ${e.action.slice(4)}`, item: null, videoId: null };
  return { what: fallback(e.action), item: null, videoId: null };
}

/** Who did it, as a person says it. */
export function actorWords(actor: string): string {
  if (actor.startsWith('agent:')) return `Lab agent ${actor.slice(6)}`;
  return ({ ui: 'You (window)', web: 'You (browser)', cli: 'You (terminal)', mcp: 'An MCP agent', system: 'The studio' } as Record<string, string>)[actor] ?? actor;
}

const FAILED: Record<string, string> = {
  BAD_MESSAGE: 'refused: not understood',
  UNKNOWN_CHANNEL: 'refused: unknown action',
  INVALID_INPUT: 'refused: invalid values',
  TOO_LARGE: 'refused: too large',
  FORBIDDEN: 'refused: not allowed',
  NOT_FOUND: 'failed: not found',
  CONFLICT: 'failed: conflicts with the current state',
  UNAVAILABLE: 'failed: something it needs is missing',
  RATE_LIMITED: 'refused: too many at once',
  CANCELLED: 'cancelled',
  TIMEOUT: 'failed: took too long',
  EXTERNAL: 'failed: a program or service it uses failed',
  INTERNAL: 'failed: an error in the studio',
};

/** How it ended, in words ("done", "refused: not allowed"). */
export function outcomeWords(ok: boolean, errorCode: string | null): string {
  if (ok) return 'done';
  return (errorCode && FAILED[errorCode]) ?? 'failed';
}
