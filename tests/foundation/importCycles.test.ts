import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
// Every layer: the main process (services, host, Electron shell), the CLI, MCP, shared and the renderer.
const LAYERS = ['electron', 'shared', 'renderer/src'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec.replace(/\.js$/, ''));
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

/** Every relative import (static, type-only, re-export, dynamic) of every file under the layers. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of LAYERS.flatMap((l) => sources(join(ROOT, l)))) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    graph.set(file, info.importedFiles.map((f) => resolveImport(file, f.fileName)).filter((f): f is string => f !== null));
  }
  return graph;
}

/** Nodes (files, or domains) that reach themselves through their imports (Tarjan's strongly connected components of 2 or more). */
function cycles(graph: Map<string, string[]>, name: (v: string) => string = (v) => relative(ROOT, v)): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        comp.push(name(w));
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** The domain folder a file sits in (electron/domains/<name>/…), or null outside the domains. */
function domainOf(file: string): string | null {
  const m = relative(ROOT, file).split('\\').join('/').match(/^electron\/domains\/([^/]+)\//);
  return m ? m[1]! : null;
}

/** The domains as one node each: an edge wherever a file of one imports a file of another. */
function domainGraph(files: Map<string, string[]>): Map<string, string[]> {
  const edges = new Map<string, Set<string>>();
  for (const [file, imports] of files) {
    const from = domainOf(file);
    if (!from) continue;
    const out = edges.get(from) ?? edges.set(from, new Set()).get(from)!;
    for (const target of imports) {
      const to = domainOf(target);
      if (to && to !== from) out.add(to);
    }
  }
  return new Map([...edges].map(([d, out]) => [d, [...out]]));
}

describe('module structure', () => {
  it('no two files anywhere (main process, CLI, MCP, shared, renderer) import each other, directly or round a loop', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get(join(ROOT, 'electron/domains/library/LibraryStore.ts'))).toContain(join(ROOT, 'electron/domains/library/importer.ts'));
    // The host and the renderer are in the graph too (they once held the last loops).
    expect(graph.get(join(ROOT, 'electron/host/composers/lab.ts'))).toContain(join(ROOT, 'electron/host/hostCore.ts'));
    expect(graph.get(join(ROOT, 'renderer/src/app/shortcuts.ts'))).toContain(join(ROOT, 'renderer/src/app/routeList.ts'));
    expect(cycles(graph)).toEqual([]);
  });

  it('the domain folders form no loop among themselves (a plug-in such as the lab depends on the monitor, never back)', () => {
    const domains = domainGraph(importGraph());
    expect(domains.get('lab')).toContain('monitor');
    expect(domains.get('lab')).toContain('killswitch');
    expect(cycles(domains, (d) => d)).toEqual([]);
  });
});
