/** 4 or 6 for an IPv4/IPv6 literal, 0 otherwise. Pure (shared with the renderer, which has no node:net). */
export function isIP(a: string): 0 | 4 | 6 {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(a)) return a.split('.').every((p) => Number(p) <= 255 && (p === '0' || !p.startsWith('0'))) ? 4 : 0;
  if (!/^[0-9A-Fa-f:]+$/.test(a) || !a.includes(':')) return 0;
  const doubles = a.split('::').length - 1;
  if (doubles > 1) return 0;
  const groups = a.split(':').filter((g) => g !== '');
  if (groups.some((g) => g.length > 4)) return 0;
  if (doubles === 0 ? groups.length !== 8 : groups.length > 7) return 0;
  if (/(^:[^:])|([^:]:$)/.test(a)) return 0;
  return 6;
}

/** Addresses that reach only this machine. */
export function isLoopbackAddress(a: string): boolean {
  return a === '::1' || /^127\./.test(a) || /^::ffff:127\./i.test(a);
}
