import { Suspense, useEffect, useRef, useState, type ComponentType } from 'react';
import { useConnection } from '../../lib/stores/connection';
import { useToasts } from '../../lib/stores/toasts';
import { droppedPaths } from '../../lib/media';
import { FilterBar, SortControl } from './FilterBar';
import { formatCount } from '../../lib/format';
import { ImportForm, ImportProgressBar } from './ImportPanel';
import { LibraryViewsBar } from './LibraryPlaces';
import { ProblemsView } from './ProblemsView';
import { Results } from './Results';
import { SearchField } from './SearchField';
import { SelectionBar, type QueueControl } from './SelectionBar';
import { hasFilters, useLibrary } from './store';
import { whenSaved } from '../../lib/stores/unsaved';
import { useLibraryViews } from './useLibraryPlace';
import './library.css';

/** The view of one video (the preview feature's), handed in by the app: a feature does not import another. */
export type VideoView = ComponentType<{ videoId: number; onClose(): void; layout?: 'pane' | 'page'; onOpenPage?(): void }>;

function EmptyLibrary() {
  return (
    <div className="empty-state lib-empty" data-testid="lib-empty">
      <div className="empty-icon">▦</div>
      <h2>Your library is empty</h2>
      <p>
        Drop video files or folders anywhere on this screen, or type a folder path below. The studio reads each file once, makes a poster and a scrub strip, and
        never changes your files.
      </p>
      <ImportForm />
      <p className="small">Folders are imported recursively and remembered, so a rescan finds new, moved and missing files.</p>
    </div>
  );
}

function NoMatches() {
  const query = useLibrary((s) => s.query.filters.query);
  const clear = useLibrary((s) => s.clearFilters);
  // A collection's view with no other filter: the collection itself is empty.
  const emptyCollection = useLibrary((s) => s.query.filters.collectionId !== undefined && !hasFilters({ ...s.query.filters, collectionId: undefined }));
  if (emptyCollection) {
    return (
      <div className="empty-state" data-testid="collection-empty">
        <div className="empty-icon">▦</div>
        <h2>This collection is empty</h2>
        <p>Open a video and add it under Collections, or pick “Add to collection” from a video’s menu (right-click).</p>
      </div>
    );
  }
  return (
    <div className="empty-state" data-testid="lib-no-matches">
      <div className="empty-icon">⌕</div>
      <h2>{query ? `Nothing matches “${query}”` : 'No videos match these filters'}</h2>
      <p>Search looks in titles, file names, tags, collections and notes. Try fewer words or fewer filters.</p>
      <button className="button" onClick={clear}>
        Clear search and filters
      </button>
    </div>
  );
}

function CouldNotLoad({ error }: { error: string }) {
  const connected = useConnection((s) => s.connected);
  return (
    <div className="empty-state" data-testid="lib-error">
      <div className="empty-icon">⚠</div>
      <h2>{connected ? 'The library could not be read' : 'Waiting for the studio…'}</h2>
      <p>{connected ? error : 'The page reconnects by itself; the list appears as soon as the studio answers.'}</p>
      <button className="button secondary" onClick={() => useLibrary.getState().setQuery({})}>
        Try again
      </button>
    </div>
  );
}

/** The Library, with what the app hands in from other features: the video view and the selection's queue control. */
export function LibraryScreen({ VideoDetail, QueueControl }: { VideoDetail: VideoView; QueueControl: QueueControl }) {
  const total = useLibrary((s) => s.total);
  const totalExact = useLibrary((s) => s.totalExact);
  const filters = useLibrary((s) => s.query.filters);
  const error = useLibrary((s) => s.error);
  const view = useLibrary((s) => s.view);
  const setView = useLibrary((s) => s.setView);
  const openId = useLibrary((s) => s.openId);
  const pageId = useLibrary((s) => s.pageId);
  const importing = useLibrary((s) => s.importProgress !== null);
  const [showImport, setShowImport] = useState(false);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);

  useEffect(() => useLibrary.getState().init(), []);
  const problems = useLibraryViews();

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    const paths = droppedPaths(e.dataTransfer.files);
    if (paths.length) {
      void useLibrary.getState().importPaths(paths);
      return;
    }
    // Browsers never reveal where a dropped file lives; the path field does the same job.
    setShowImport(true);
    useToasts.getState().push({
      level: 'info',
      message: 'The browser does not tell the studio where dropped files are.',
      hint: 'Type or paste the folder path in the Import field; the desktop app accepts drops directly.',
    });
  };
  const isFileDrag = (e: React.DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

  const empty = total === 0 && !hasFilters(filters);
  return (
    <section
      className="screen lib-screen"
      onDragEnter={(e) => {
        if (!isFileDrag(e)) return;
        dragDepth.current++;
        setDragging(true);
      }}
      onDragLeave={() => {
        if (--dragDepth.current <= 0) setDragging(false);
      }}
      onDragOver={(e) => {
        if (!isFileDrag(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDrop={onDrop}
    >
      <header className="lib-head">
        <div className="lib-head-title">
          <h1>Library</h1>
          <span className="muted" data-testid="lib-count">
            {total === null || empty ? '' : `${formatCount(total)}${totalExact ? '' : '+'} ${total === 1 && totalExact ? 'item' : 'items'}`}
          </span>
        </div>
        <SearchField />
        {/* The actions sit at the right edge at any width, as on the other screens. */}
        <div className="lib-head-actions">
          {!empty && <SortControl />}
          <ViewSwitch view={view} onPick={setView} />
          <button className="button" onClick={() => setShowImport((v) => !v)} data-testid="import-open" aria-expanded={showImport}>
            + Import
          </button>
        </div>
      </header>
      {showImport && !empty && (
        <div className="lib-import-panel">
          <ImportForm autoFocus onDone={() => setShowImport(false)} />
          <button className="icon-button" aria-label="Close" onClick={() => setShowImport(false)}>
            ×
          </button>
        </div>
      )}
      {importing && <ImportProgressBar />}
      <LibraryViewsBar problems={problems} />
      {!empty && !problems && <FilterBar />}
      <SelectionBar QueueControl={QueueControl} />
      <div className="lib-body" inert={pageId !== null}>
        {problems ? <ProblemsView /> : error && total === null ? <CouldNotLoad error={error} /> : empty ? <EmptyLibrary /> : total === 0 ? <NoMatches /> : <Results />}
        {openId !== null && (
          <aside className="lib-detail" data-testid="lib-detail" aria-label="Video detail">
            <button className="icon-button lib-detail-close" aria-label="Close the detail pane (Esc)" title="Close (Esc)" onClick={() => useLibrary.getState().open(null)}>
              ×
            </button>
            <Suspense fallback={<div className="muted lib-detail-loading">Loading the player…</div>}>
              <VideoDetail key={openId} videoId={openId} onClose={() => whenSaved(() => useLibrary.getState().open(null))} onOpenPage={() => useLibrary.getState().openPage(openId)} />
            </Suspense>
          </aside>
        )}
      </div>
      {pageId !== null && (
        <div className="vp-page" data-testid="video-page" role="region" aria-label="Video page">
          <Suspense fallback={<div className="muted lib-detail-loading">Loading the player…</div>}>
            <VideoDetail key={pageId} videoId={pageId} layout="page" onClose={() => whenSaved(() => useLibrary.getState().closePage())} />
          </Suspense>
        </div>
      )}
      {dragging && (
        <div className="lib-drop" data-testid="lib-drop">
          <div>
            <div className="empty-icon">⇣</div>
            <strong>Drop to import</strong>
            <div className="muted">Folders are read recursively</div>
          </div>
        </div>
      )}
    </section>
  );
}

/** Grid or list (G switches too). */
function ViewSwitch({ view, onPick }: { view: 'grid' | 'list'; onPick(view: 'grid' | 'list'): void }) {
  return (
    <div className="segmented" role="radiogroup" aria-label="View">
      <button className={view === 'grid' ? 'on' : ''} role="radio" aria-checked={view === 'grid'} onClick={() => onPick('grid')} title="Grid (G)" data-testid="view-grid">
        ▦ Grid
      </button>
      <button className={view === 'list' ? 'on' : ''} role="radio" aria-checked={view === 'list'} onClick={() => onPick('list')} title="List (G)" data-testid="view-list">
        ☰ List
      </button>
    </div>
  );
}
