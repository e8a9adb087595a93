// Lighthouse (mobile form factor, its default) on each public page type, in
// Debian's chromium, against the real binary on a fresh database with the demo
// content. Used by lighthouse.test.js; run alone it prints a Markdown table of
// the scores (see bench/lighthouse.md):
//
//   cd e2e && node lighthouse.js
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, CHROMIUM } = require('./helpers');

/** At most this many runs of a page whose performance is below the floor. */
const RUNS = 3;

/** The categories scored, in Lighthouse's ids. */
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

/**
 * The public page types. `path` is an address, or a pattern that the first
 * matching address in /sitemap.xml must match (so the page's URL need not be
 * known beforehand). `noindex`: the page asks search engines not to index it,
 * which costs exactly Lighthouse's "is-crawlable" SEO audit.
 */
const PAGE_TYPES = [
  { name: 'Forside', path: '/' },
  { name: 'Nyheder', path: '/nyheder' },
  { name: 'Nyhed', path: /^\/nyheder\/[^/]+$/ },
  { name: 'Indholdsside', path: '/borger/affald-og-genbrug/storskrald' },
  { name: 'Andre hjemmesider', path: '/hjemmesider' },
  { name: 'Søgeresultater', path: '/soeg?q=skole', noindex: true },
];

/** The path of the first address in the sitemap whose path matches `pattern`. */
async function fromSitemap(base, pattern) {
  const xml = await (await fetch(`${base}/sitemap.xml`)).text();
  for (const [, loc] of xml.matchAll(/<loc>([^<]+)<\/loc>/g)) {
    const url = new URL(loc.replaceAll('&amp;', '&'));
    if (pattern.test(url.pathname)) {
      return url.pathname + url.search;
    }
  }
  throw new Error(`no address in ${base}/sitemap.xml matches ${pattern}`);
}

/** Starts chromium headless with a DevTools port; resolves to { port, stop }. */
async function startChromium() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'raadhus-lighthouse-'));
  const child = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('chromium did not start within 30 s')), 30000);
    let seen = '';
    child.stderr.on('data', (chunk) => {
      seen += chunk.toString();
      const match = seen.match(/DevTools listening on ws:\/\/[^:]+:(\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`chromium exited with ${code}: ${seen}`)));
  });
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('exit', resolve));
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The audits of a category that lost points: "id (score)". */
function lost(lhr, category) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
    .map((ref) => `${ref.id} (${lhr.audits[ref.id].score})`);
}

/**
 * Lighthouse's report on `url`, scored in CATEGORIES. A run that Lighthouse
 * itself reports as broken (a runtime error such as NO_NAVSTART, a trace it
 * could not read: "Please run Lighthouse again") is run once more.
 */
async function audit(lighthouse, url, port) {
  let error;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const { lhr } = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES });
    if (!lhr.runtimeError) {
      return lhr;
    }
    error = lhr.runtimeError;
    console.error(`lighthouse: ${url}: ${error.code}${attempt === 0 ? ', running it again' : ''}`);
  }
  throw new Error(`${url}: ${error.code} ${error.message}`);
}

/**
 * Starts the server and chromium, runs Lighthouse on every page type one after
 * the other, and stops both. Resolves to one entry per page type:
 * { name, path, noindex, scores: { category: 0..1 }, lost: { category: [audit] },
 *   runs }. A page whose performance is below `retryBelow` is measured again,
 * up to RUNS times in all, and the best run kept: the score follows the
 * machine's load (Lighthouse scales the main thread's tasks it sees, and
 * on a busy machine another process's turn makes a task long).
 */
async function measure(pageTypes = PAGE_TYPES, { retryBelow = 0 } = {}) {
  const { default: lighthouse } = await import('lighthouse');
  const server = await startServer();
  let chromium;
  try {
    chromium = await startChromium();
    const results = [];
    for (const type of pageTypes) {
      const address = typeof type.path === 'string' ? type.path : await fromSitemap(server.base, type.path);
      let lhr = await audit(lighthouse, server.base + address, chromium.port);
      let runs = 1;
      while (lhr.categories.performance.score < retryBelow && runs < RUNS) {
        const again = await audit(lighthouse, server.base + address, chromium.port);
        runs += 1;
        if (again.categories.performance.score > lhr.categories.performance.score) {
          lhr = again;
        }
      }
      const scores = {};
      const losses = {};
      for (const category of CATEGORIES) {
        scores[category] = lhr.categories[category].score;
        losses[category] = lost(lhr, category);
      }
      results.push({ name: type.name, path: address, noindex: Boolean(type.noindex), scores, lost: losses, runs });
    }
    return results;
  } finally {
    await chromium?.stop();
    await server.stop();
  }
}

/** The results as a Markdown table, scores 0..100, with the audits that lost points. */
function table(results) {
  const lines = ['| page type | path | performance | accessibility | best practices | SEO | audits below 1 |',
    '|---|---|---|---|---|---|---|'];
  for (const r of results) {
    const scores = CATEGORIES.map((c) => Math.round(r.scores[c] * 100));
    const losses = CATEGORIES.flatMap((c) => r.lost[c].map((a) => `${c}: ${a}`));
    lines.push(`| ${r.name} | \`${r.path}\` | ${scores.join(' | ')} | ${losses.join(', ') || '–'} |`);
  }
  return lines.join('\n');
}

module.exports = { PAGE_TYPES, CATEGORIES, measure, table };

if (require.main === module) {
  const started = Date.now();
  measure().then((results) => {
    console.log(table(results));
    console.log(`\n${results.length} page types in ${Math.round((Date.now() - started) / 1000)} s`);
  }, (error) => {
    console.error(error);
    process.exit(1);
  });
}
