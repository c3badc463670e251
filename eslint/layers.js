// The layers of the codebase, as an ESLint rule: every relative import (static, re-export, dynamic) is checked
// against the table below, so an import that goes the wrong way fails `npm run lint`.
// A local rule rather than eslint-plugin-boundaries: every import here is relative, the table is a dozen rows, and
// a plugin would bring a module resolver and its configuration to answer the same question.
import { dirname, relative, resolve, sep } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Where a file sits: its layer and, for domains and renderer features, which one.
 * @param {string} rel repo-relative path with forward slashes
 */
export function placeOf(rel) {
  let m;
  if (rel.startsWith('shared/')) return { layer: 'shared' };
  if (rel.startsWith('electron/preload/')) return { layer: 'preload' };
  if (rel.startsWith('electron/main/')) return { layer: 'shell' };
  if (rel.startsWith('electron/cli/')) return { layer: 'cli' };
  if (rel.startsWith('electron/mcp/')) return { layer: 'mcp' };
  if (rel.startsWith('electron/host/')) return { layer: 'host' };
  if ((m = rel.match(/^electron\/domains\/([^/]+)\/(.*)$/))) return { layer: 'domain', name: m[1], publicEntry: m[2] === 'index.ts' };
  if (rel.startsWith('electron/platform/')) return { layer: 'platform' };
  if (rel.startsWith('renderer/src/app/')) return { layer: 'r-app' };
  if ((m = rel.match(/^renderer\/src\/features\/([^/]+)\//))) return { layer: 'r-feature', name: m[1] };
  if (rel.startsWith('renderer/src/ui/')) return { layer: 'r-ui' };
  if (rel.startsWith('renderer/src/lib/')) return { layer: 'r-lib' };
  if (rel.startsWith('renderer/src/')) return { layer: 'r-root' };
  return { layer: 'other' };
}

/** Which layers each layer may import from (its own always; domains and features have extra rules below). */
const MAY_IMPORT = {
  shared: ['shared'],
  preload: ['shared'],
  shell: ['host', 'platform', 'shared'],
  cli: ['mcp', 'host', 'shared'],
  mcp: ['host', 'shared'],
  host: ['domain', 'platform', 'shared'],
  domain: ['domain', 'platform', 'shared'],
  platform: ['shared'],
  'r-root': ['r-app', 'r-lib', 'r-ui', 'shared'],
  'r-app': ['r-feature', 'r-ui', 'r-lib', 'shared'],
  'r-feature': ['r-ui', 'r-lib', 'shared'],
  'r-ui': ['r-lib', 'shared'],
  'r-lib': ['shared'],
};

const WHY = {
  shell: 'the Electron shell reaches the studio through the host (dispatch, composition), never a domain directly',
  cli: 'the CLI speaks to the studio through the contract client and the host, never a domain or the platform',
  mcp: 'MCP speaks to the studio through the contract client (shared/contract), never the CLI, a domain or the platform',
  host: 'the host wires domains and the platform; it is never imported from below',
  domain: 'a domain uses the platform and shared/, and another domain only through its index.ts',
  platform: 'the platform (db, process, fs, media tools, secrets, settings, audit) knows no domain, host or front end',
  shared: 'shared/ is the contract both sides speak: it imports nothing from electron/ or renderer/',
  preload: 'the preload exposes the contract and nothing else',
  'r-app': 'the app shell composes features',
  'r-feature': 'a feature uses ui/, lib/ and shared/; never another feature or app/ (move what both need to lib/ or ui/)',
  'r-ui': 'the ui/ kit knows no feature or app state',
  'r-lib': 'lib/ knows no feature, app or ui component',
  'r-root': 'the renderer entry mounts the app',
};

/** Returns null when the import is allowed, else the reason. */
export function checkImport(fromRel, toRel) {
  const from = placeOf(fromRel);
  const to = placeOf(toRel);
  if (from.layer === 'other' || to.layer === 'other') return null;
  if (from.layer === to.layer) {
    if (from.layer === 'domain' && from.name !== to.name && !to.publicEntry)
      return `${fromRel} reaches into domain '${to.name}' (${toRel}): ${WHY.domain}`;
    if (from.layer === 'r-feature' && from.name !== to.name) return `${fromRel} imports feature '${to.name}': ${WHY['r-feature']}`;
    return null;
  }
  const allowed = MAY_IMPORT[from.layer] ?? [];
  if (!allowed.includes(to.layer)) return `${fromRel} imports ${toRel} (${to.layer}): ${WHY[from.layer] ?? 'wrong layer'}`;
  if (to.layer === 'domain' && !to.publicEntry) return `${fromRel} reaches into domain '${to.name}' past its index.ts (${toRel})`;
  return null;
}

function resolveTarget(fileAbs, spec) {
  const abs = resolve(dirname(fileAbs), spec);
  let rel = relative(ROOT, abs).split(sep).join('/');
  // An import of a folder means its index; an import without an extension means the .ts file.
  if (/^electron\/domains\/[^/]+$/.test(rel)) rel += '/index.ts';
  else if (!/\.[cm]?[jt]sx?$/.test(rel)) rel += '.ts';
  return rel;
}

const rule = {
  meta: { type: 'problem', docs: { description: 'imports go down the layers only' }, schema: [] },
  create(context) {
    const fileAbs = context.filename;
    const fromRel = relative(ROOT, fileAbs).split(sep).join('/');
    const check = (node) => {
      const src = node.source;
      if (!src || src.type !== 'Literal' || typeof src.value !== 'string' || !src.value.startsWith('.')) return;
      const reason = checkImport(fromRel, resolveTarget(fileAbs, src.value));
      if (reason) context.report({ node: src, message: reason });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export const layersPlugin = { rules: { 'imports-go-down': rule } };
