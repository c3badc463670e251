import { useEffect, useId, useState } from 'react';
import type { LibraryCollection, VideoDetail } from '../../../../shared/dto/library';
import { useToasts } from '../../lib/stores/toasts';
import { call } from '../../lib/api';

/**
 * The collections a video is in, editable like its tags: × takes it out, the field adds it to an existing
 * collection by name (suggested from the list) or creates one with that name first.
 */
export function VideoCollections({ video, onChanged }: { video: VideoDetail; onChanged(): Promise<void> }) {
  const [all, setAll] = useState<LibraryCollection[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const listId = useId();

  const loadAll = async () => {
    try {
      setAll(await call('library.collections', {}));
    } catch {
      // call() showed why; the field still creates collections by name
    }
  };
  useEffect(() => {
    void loadAll();
  }, []);

  const add = async () => {
    const name = text.trim();
    if (!name || busy) return;
    setBusy(true);
    try {
      // Same name regardless of case is the same collection: a second "Vespers" beside "vespers" is never wanted.
      let target = all.find((c) => c.name.toLocaleLowerCase() === name.toLocaleLowerCase());
      if (target && video.collections.some((c) => c.id === target!.id)) {
        useToasts.getState().push({ level: 'info', message: `“${video.title}” is already in the collection “${target.name}”.` });
        setText('');
        return;
      }
      if (!target) target = await call('library.createCollection', { name, description: '' });
      await call('library.bulkUpdate', { ids: [video.id], addToCollectionId: target.id });
      setText('');
      await Promise.all([onChanged(), loadAll()]);
    } catch {
      // call() showed why; the typed name stays in the field to fix or retry
    } finally {
      setBusy(false);
    }
  };

  const remove = async (c: { id: number; name: string }) => {
    try {
      await call('library.bulkUpdate', { ids: [video.id], removeFromCollectionId: c.id });
      await Promise.all([onChanged(), loadAll()]);
    } catch {
      // call() showed why
    }
  };

  const offered = all.filter((c) => !video.collections.some((v) => v.id === c.id));
  return (
    <div className="pv-tags pv-collections" data-testid="detail-collections" role="group" aria-label="Collections">
      <span className="muted small">Collections</span>
      {video.collections.map((c) => (
        <span key={c.id} className="badge pv-tag" data-testid="detail-collection">
          {c.name}
          <button className="icon-button" aria-label={`Remove from collection ${c.name}`} onClick={() => void remove(c)}>
            ×
          </button>
        </span>
      ))}
      <input
        className="input pv-tag-input"
        aria-label="Add to collection"
        placeholder="add to collection ⏎"
        list={listId}
        value={text}
        aria-busy={busy}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && void add()}
        data-testid="detail-collection-input"
      />
      <datalist id={listId}>
        {offered.map((c) => (
          <option key={c.id} value={c.name} />
        ))}
      </datalist>
    </div>
  );
}
