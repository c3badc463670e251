import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_EXPRESSIONS, faceBookOf, type ExpressionDef, type FaceBook } from '../../../shared/avatar';
import { parseExpressionFile } from '../../../shared/avatar/expressionFile';
import type { ExpressionList } from '../../../shared/dto/avatar';
import { ChurchError } from '../../../shared/errors';

/** More files than this in the folder are not read (an expression list is for choosing from). */
const MAX_FILES = 200;
/** An expression file is a few hundred bytes; a huge one is a mistake. */
const MAX_FILE_BYTES = 64 * 1024;

/**
 * The built-in expressions plus the user's, one JSON file per expression in <dataDir>/avatar/expressions
 * (<name>.json). The folder is read again whenever a file in it changed (names, sizes and times compared), so
 * an edited file counts from the next call on. A broken file is reported with its name and field and left out;
 * it never hides the built-ins or the other files.
 */
export class UserExpressions {
  private signature = '';
  private cached: { list: ExpressionList; faces: FaceBook } | null = null;

  /** folder null: only the built-ins. */
  constructor(readonly folder: string | null) {}

  list(): ExpressionList {
    return this.load().list;
  }

  faces(): FaceBook {
    return this.load().faces;
  }

  /** Throws a clear error naming the valid expressions when `name` is not one of them. */
  require(name: string, field = 'expression'): void {
    const { list, faces } = this.load();
    if (faces.has(name)) return;
    const names = list.expressions.map((e) => e.name).join(', ');
    const hint = this.folder ? `; add your own as ${join(this.folder, `${name}.json`)}` : '';
    throw new ChurchError('INVALID_INPUT', `${field} "${name}" is not one of the studio's expressions (${names})${hint}`, {
      field,
      valid: list.expressions.map((e) => e.name),
    });
  }

  private load(): { list: ExpressionList; faces: FaceBook } {
    const files = this.files();
    const signature = files.map((f) => `${f.name}:${f.size}:${f.mtimeMs}`).join('|');
    if (this.cached && signature === this.signature) return this.cached;
    const expressions: ExpressionDef[] = [...BUILTIN_EXPRESSIONS];
    const problems: ExpressionList['problems'] = [];
    const known = new Map(faceBookOf(expressions));
    for (const f of files) {
      try {
        if (f.size > MAX_FILE_BYTES) throw new Error(`the file is ${f.size} bytes; an expression file is at most ${MAX_FILE_BYTES}`);
        let json: unknown;
        try {
          json = JSON.parse(readFileSync(join(this.folder!, f.name), 'utf8'));
        } catch (e) {
          throw new Error(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
        }
        const def = parseExpressionFile(f.name.slice(0, -'.json'.length), json, known);
        expressions.push(def);
        known.set(def.name, def.face);
      } catch (e) {
        problems.push({ file: f.name, message: `${f.name}: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
    this.signature = signature;
    this.cached = { list: { expressions, problems, folder: this.folder ?? '' }, faces: known };
    return this.cached;
  }

  private files(): { name: string; size: number; mtimeMs: number }[] {
    if (this.folder === null) return [];
    const folder = this.folder;
    let names: string[];
    try {
      names = readdirSync(folder).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    return names
      .sort()
      .slice(0, MAX_FILES)
      .flatMap((name) => {
        try {
          const st = statSync(join(folder, name));
          return st.isFile() ? [{ name, size: st.size, mtimeMs: st.mtimeMs }] : [];
        } catch {
          return [];
        }
      });
  }
}
