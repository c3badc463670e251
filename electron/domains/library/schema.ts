import type { Migration } from '../../platform/db';

/**
 * The library's numbered migrations. Version 1 is the foundation's minimal table and never changes; version 2
 * grows it into the full library (probe columns, curation, tags, collections, roots, outputs, failures, FTS);
 * version 3 rebuilds the FTS table with a one-letter prefix index.
 */
export const libraryMigrations: Migration[] = [
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
  {
    version: 2,
    name: 'library: probe columns, curation, tags, collections, roots, outputs, failures, full-text search',
    up: (db) => {
      // Hot columns first (filters and sorts read them on every row); long text last. The probe JSON lives in
      // its own table so list and count queries never page through it.
      const columns = [
        "kind TEXT NOT NULL DEFAULT 'video'",
        "tier TEXT NOT NULL DEFAULT 'free'",
        'rating INTEGER NOT NULL DEFAULT 0',
        'favourite INTEGER NOT NULL DEFAULT 0',
        'missing INTEGER NOT NULL DEFAULT 0',
        'dup_count INTEGER NOT NULL DEFAULT 0',
        'duration_sec REAL',
        'width INTEGER',
        'height INTEGER',
        'video_codec TEXT',
        'audio_codec TEXT',
        'bit_rate INTEGER',
        'size_bytes INTEGER NOT NULL DEFAULT 0',
        'mtime_ms INTEGER NOT NULL DEFAULT 0',
        'root_id INTEGER',
        'has_poster INTEGER NOT NULL DEFAULT 0',
        'has_sprite INTEGER NOT NULL DEFAULT 0',
        "modified_at TEXT NOT NULL DEFAULT ''",
        "last_seen_at TEXT NOT NULL DEFAULT ''",
        "fingerprint TEXT NOT NULL DEFAULT ''",
        'container TEXT',
        "file_name TEXT NOT NULL DEFAULT ''",
        "tags_json TEXT NOT NULL DEFAULT '[]'",
        "notes TEXT NOT NULL DEFAULT ''",
      ];
      for (const c of columns) db.exec(`ALTER TABLE videos ADD COLUMN ${c}`);
      // Rows from version 1 have only a path and a title: fill what can be derived so they list sensibly.
      db.exec(`UPDATE videos SET file_name = replace(path, rtrim(path, replace(replace(path, '\\', '/'), '/', '')), ''), modified_at = added_at, last_seen_at = added_at`);
      db.exec(`
        -- Every sort key has an index ending in id, so a sorted page is an index walk and keyset paging is exact.
        CREATE INDEX videos_added ON videos(added_at, id);
        CREATE INDEX videos_modified ON videos(modified_at, id);
        CREATE INDEX videos_title ON videos(title COLLATE NOCASE, id);
        CREATE INDEX videos_file_name ON videos(file_name COLLATE NOCASE, id);
        CREATE INDEX videos_duration ON videos(coalesce(duration_sec, -1), id);
        CREATE INDEX videos_resolution ON videos(coalesce(height, -1), id);
        CREATE INDEX videos_size ON videos(size_bytes, id);
        CREATE INDEX videos_bitrate ON videos(coalesce(bit_rate, -1), id);
        CREATE INDEX videos_codec ON videos(coalesce(video_codec, ''), id);
        CREATE INDEX videos_tier ON videos((CASE tier WHEN 'free' THEN 0 WHEN 'subscriber' THEN 1 ELSE 2 END), id);
        CREATE INDEX videos_rating ON videos(rating, id);
        CREATE INDEX videos_fingerprint ON videos(fingerprint);
        CREATE INDEX videos_root ON videos(root_id);
        CREATE INDEX videos_missing ON videos(missing) WHERE missing = 1;
        CREATE INDEX videos_dup ON videos(dup_count) WHERE dup_count > 0;
        -- Narrow covering index of the filter columns: counting matches scans it instead of the table.
        CREATE INDEX videos_filters ON videos(tier, height, rating, duration_sec, video_codec, kind, missing, dup_count, favourite, root_id);

        CREATE TABLE video_probes (
          video_id INTEGER PRIMARY KEY REFERENCES videos(id) ON DELETE CASCADE,
          probe_json TEXT NOT NULL
        );

        CREATE TABLE library_roots (
          id INTEGER PRIMARY KEY,
          path TEXT NOT NULL UNIQUE,
          added_at TEXT NOT NULL,
          last_scan_at TEXT
        );
        CREATE TABLE tags (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE
        );
        CREATE TABLE video_tags (
          video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
          tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
          PRIMARY KEY (video_id, tag_id)
        ) WITHOUT ROWID;
        CREATE INDEX video_tags_tag ON video_tags(tag_id, video_id);
        CREATE TABLE collections (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          description TEXT NOT NULL DEFAULT '',
          position INTEGER NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE TABLE collection_items (
          collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
          video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          PRIMARY KEY (collection_id, video_id)
        ) WITHOUT ROWID;
        CREATE INDEX collection_items_video ON collection_items(video_id);
        CREATE TABLE derived_outputs (
          id INTEGER PRIMARY KEY,
          video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
          job_id INTEGER,
          preset TEXT NOT NULL,
          kind TEXT NOT NULL,
          path TEXT NOT NULL,
          size_bytes INTEGER NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE INDEX derived_outputs_video ON derived_outputs(video_id);
        CREATE TABLE import_failures (
          path TEXT PRIMARY KEY,
          root_id INTEGER,
          code TEXT NOT NULL,
          reason TEXT NOT NULL,
          size_bytes INTEGER NOT NULL,
          mtime_ms INTEGER NOT NULL,
          at TEXT NOT NULL
        );
        -- Search text of each item (rowid = videos.id), kept in step by the store: tags and collections live in
        -- other tables, so triggers on videos alone could not keep it right.
        CREATE VIRTUAL TABLE videos_fts USING fts5(title, file_name, tags, collections, notes, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
        INSERT INTO videos_fts (videos_fts, rank) VALUES ('rank', 'bm25(10.0, 5.0, 3.0, 2.0, 1.0)');
        INSERT INTO videos_fts (rowid, title, file_name, tags, collections, notes) SELECT id, title, file_name, '', '', '' FROM videos;
      `);
    },
  },
  {
    version: 3,
    name: 'library: one-letter prefix index for full-text search',
    up: (db) => {
      // A first keystroke ("a") was the slowest search: without a one-letter prefix index FTS5 merges the doclist
      // of every term starting with the letter. The table keeps its content, so it is copied into a rebuilt one.
      db.exec(`
        CREATE VIRTUAL TABLE videos_fts_v3 USING fts5(title, file_name, tags, collections, notes, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
        INSERT INTO videos_fts_v3 (rowid, title, file_name, tags, collections, notes) SELECT rowid, title, file_name, tags, collections, notes FROM videos_fts;
        DROP TABLE videos_fts;
        ALTER TABLE videos_fts_v3 RENAME TO videos_fts;
        INSERT INTO videos_fts (videos_fts, rank) VALUES ('rank', 'bm25(10.0, 5.0, 3.0, 2.0, 1.0)');
      `);
    },
  },
];
