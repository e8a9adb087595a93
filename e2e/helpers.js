// Starts the real raadhus binary on a fresh database and an ephemeral port,
// and opens Debian's chromium through playwright-core.
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const test = require('node:test');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..');
const BINARY = process.env.RAADHUS_BIN || path.join(ROOT, 'target', 'debug', 'raadhus');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, 'artifacts');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const EDITOR = { email: 'redaktoer@vesterfjord.example', password: 'en god lang adgangskode' };

/** Starts the server with the demo content and an admin user. */
async function startServer() {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'raadhus-e2e-'));
  execFileSync(BINARY, ['--data', data, '--log', 'warn', 'user', 'add', '--email', EDITOR.email,
    '--name', 'Eva Redaktør', '--role', 'admin', '--password-stdin'], { input: EDITOR.password + '\n' });
  const child = spawn(BINARY, ['--data', data, 'serve'], {
    // No background link checks: the demo's addresses are not real ones.
    env: { ...process.env, RAADHUS_BIND: '127.0.0.1:0', RAADHUS_LOG: 'info', RAADHUS_LINKS_INTERVAL_HOURS: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 30 s')), 30000);
    // The log's last 64 KB, for the message should the server exit.
    let seen = '';
    let listening = false;
    child.stderr.on('data', (chunk) => {
      // E2E_SERVER_LOG=file keeps the server's log (its access lines too).
      if (process.env.E2E_SERVER_LOG) fs.appendFileSync(process.env.E2E_SERVER_LOG, chunk);
      seen = (seen + chunk.toString()).slice(-65536);
      if (listening) return;
      const match = seen.match(/addr=(127\.0\.0\.1:\d+)/);
      if (match) {
        listening = true;
        clearTimeout(timer);
        resolve(`http://${match[1]}`);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
  });
  return {
    base,
    data,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('exit', resolve));
      fs.rmSync(data, { recursive: true, force: true });
    },
  };
}

async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * The axe-core rule sets every page is checked against: the WCAG 2.0/2.1 A and
 * AA rules, plus axe's best practices (heading order, one h1, landmarks, all
 * content inside a landmark, ...), which catch structure a screen reader user
 * navigates by but WCAG's own rules let pass.
 */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** Runs axe-core with AXE_TAGS; returns the violations. */
async function axe(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
  }), AXE_TAGS);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function signIn(page, base) {
  await page.goto(`${base}/admin/login`);
  await page.fill('#email', EDITOR.email);
  await page.fill('#password', EDITOR.password);
  await Promise.all([page.waitForURL(`${base}/admin`), page.click('main button[type=submit]')]);
}

async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Starts the server and the browser before the calling file's tests and stops
 * them after; their handles appear on the returned object once started.
 */
function serverAndBrowser() {
  const env = {};
  test.before(async () => {
    env.server = await startServer();
    env.browser = await launch();
  });
  test.after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** Creates an API token acting as the editor (through the command line). */
function apiToken(server, name) {
  return execFileSync(BINARY, ['--data', server.data, '--log', 'warn', 'token', 'create',
    '--user', EDITOR.email, '--name', name]).toString().trim();
}

module.exports = { startServer, serverAndBrowser, axe, signIn, screenshot, apiToken, EDITOR, CHROMIUM };
