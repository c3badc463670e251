import { migrate, type Db, type Migration } from '../db';

// The library issue grows this schema; the foundation needs only enough to resolve media by id.
const migrations: Migration[] = [
  {
    version: 1,
    name: 'videos',
    up: (db) => {
      db.exec(`
        CREATE TABLE videos (
          id INTEGER PRIMARY KEY,
          path TEXT NOT NULL UNIQUE,
          title TEXT NOT NULL,
          added_at TEXT NOT NULL
        );
      `);
    },
  },
];

export class LibraryStore {
  constructor(private readonly db: Db) {
    migrate(db, 'library', migrations);
  }

  pathOf(id: number): string | null {
    const row = this.db.prepare('SELECT path FROM videos WHERE id = ?').get(id) as { path: string } | undefined;
    return row?.path ?? null;
  }
}
