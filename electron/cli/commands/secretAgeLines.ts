import type { SecretAge } from '../../../shared/dto/secrets';

/** `church doctor`'s secret lines: each secret set, with its age ("unknown" before dates were kept), and the reminders. */
export function secretAgeLines(ages: SecretAge[]): string[] {
  const set = ages.filter((a) => a.set);
  if (set.length === 0) return ['secrets  none set'];
  return set.map((a, i) => {
    const age = a.ageDays === null ? 'age unknown' : `set ${a.ageDays} day${a.ageDays === 1 ? '' : 's'} ago (${a.setAt?.slice(0, 10)})`;
    const head = i === 0 ? 'secrets ' : '        ';
    const warn = a.rotateDue ? `\n         ! older than ${a.rotateAfterDays} days: make a new restricted key and run "church stripe rotate-key" (the new key on standard input), then revoke the old one` : '';
    return `${head} ${a.label}: ${age}${warn}`;
  });
}
