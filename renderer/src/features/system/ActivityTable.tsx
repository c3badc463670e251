import type { AuditEntry } from '../../../../shared/dto/system';
import { localDateTime } from '../../lib/localTime';
import { actorWords, describeActivity, outcomeWords } from './activityWords';

/** "“Title”" for a video whose title is known, with what the entry adds ("(rating, tags)"). */
function videoItem(id: number, item: string | null, titles: Record<number, string>): string {
  const title = titles[id];
  if (!title) return item ?? `video #${id}`;
  const extra = item?.replace(`video #${id}`, '').replace(/^,?\s*/, '');
  if (!extra) return `“${title}”`;
  return extra.startsWith('(') ? `“${title}” ${extra}` : `“${title}” · ${extra}`;
}

/** System → Recent activity: when, who, what happened in words, the item it concerns, and how it ended. */
export function ActivityTable({ audit, videoTitles }: { audit: AuditEntry[]; videoTitles: Record<number, string> }) {
  return (
    <table className="table activity-table" data-testid="activity-table">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">What</th>
          <th scope="col">Item</th>
          <th scope="col">Result</th>
        </tr>
      </thead>
      <tbody>
        {audit.map((a) => {
          const words = describeActivity(a);
          return (
            <tr key={a.id} data-testid="activity-row" data-action={a.action}>
              <td className="muted activity-when">{localDateTime(a.at)}</td>
              <td>{actorWords(a.actor)}</td>
              <td data-testid="activity-what">{words.what}</td>
              <td data-testid="activity-item">
                {words.videoId !== null ? <a href={`#/library/video/${words.videoId}`}>{videoItem(words.videoId, words.item, videoTitles)}</a> : (words.item ?? <span className="muted">–</span>)}
              </td>
              <td className={a.ok ? '' : 'form-error'} title={a.errorCode ?? undefined}>
                {a.ok ? '✓ ' : '✕ '}
                {outcomeWords(a.ok, a.errorCode)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
