import { Router } from 'express';
import { contentSecurityPolicy, scriptHash } from './security.js';

/** One OpenAPI document a docs page lists, served as `/docs/<name>.json`. */
export interface DocsEntry {
  name: string;
  document?: Record<string, unknown>;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page's one inline script; its hash is what the page's Content-Security-Policy allows. */
function docsScript(names: readonly string[]): string {
  const list = JSON.stringify(names);
  return `
const names = ${list};
const links = document.getElementById('links');
const main = document.getElementById('docs');
const text = (tag, value, cls) => { const el = document.createElement(tag); el.textContent = value; if (cls) el.className = cls; return el; };
for (const name of names) {
  const a = text('a', name + '.json'); a.href = '/docs/' + name + '.json'; links.append(a, ' ');
  const doc = await fetch('/docs/' + name + '.json').then((r) => r.json()).catch(() => null);
  const section = document.createElement('section');
  section.append(text('h2', doc ? doc.info.title : name + ' (unavailable)'));
  if (doc?.info?.description) section.append(text('p', doc.info.description));
  for (const [path, ops] of Object.entries(doc?.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      const div = text('div', '', 'op');
      div.append(text('span', method, 'm ' + method), text('code', path), text('span', op['x-required-role'] ? 'moderator' : op.security ? 'player' : 'anyone', 'who'));
      div.append(text('div', op.summary ?? ''));
      div.append(text('div', Object.entries(op.responses).map(([s, r]) => s + ' ' + r.description).join(' · '), 'answers'));
      section.append(div);
    }
  }
  main.append(section);
}
`;
}

/**
 * The page at `/docs`: it fetches each listed document and renders its operations (method,
 * path, summary, who may call, answers and their error codes). Self-contained, so it works
 * offline and behind the gateway, where the documents come from different services.
 */
export function docsPage(title: string, names: readonly string[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
h2{margin-top:2rem;border-bottom:1px solid #ddd}.op{margin:.6rem 0;padding:.5rem .8rem;border:1px solid #e4e4e4;border-radius:6px}
.m{display:inline-block;min-width:4.5rem;font-weight:700;text-transform:uppercase}.get{color:#0a6}.post{color:#06c}.put,.patch{color:#a60}.delete{color:#c33}
code{font-size:13px}.who{color:#666;font-size:12px;margin-left:.5rem}.answers{color:#555;font-size:12px}
</style></head><body><h1>${escapeHtml(title)}</h1><p>OpenAPI 3.1 documents: <span id="links"></span></p><main id="docs"></main>
<script type="module">${docsScript(names)}</script></body></html>`;
}

/**
 * `/docs` (the page) and `/docs/<name>.json` (each document this process holds). An entry
 * without a document is listed on the page and served by another process (the gateway's page).
 */
export function docsRouter(title: string, entries: readonly DocsEntry[]): Router {
  const router = Router();
  const names = entries.map((entry) => entry.name);
  const page = docsPage(title, names);
  const policy = contentSecurityPolicy({ scriptHashes: [scriptHash(docsScript(names))] });
  router.get('/docs', (_req, res) => {
    res.setHeader('Content-Security-Policy', policy);
    res.type('html').send(page);
  });
  for (const entry of entries) {
    if (!entry.document) continue;
    const { document } = entry;
    router.get(`/docs/${entry.name}.json`, (_req, res) => {
      res.json(document);
    });
  }
  return router;
}
