// The Content-Security-Policy is enforced, and nothing on any page breaks it:
// no inline script or style is refused, and the scripts we ship still work
// under it (the directory narrows, the editor's toolbar and live preview run).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { serverAndBrowser, signIn } = require('./helpers');

// The server and the browser, started before this file's tests.
const env = serverAndBrowser();

/** A page whose CSP violations (as the browser reports them) are collected. */
async function watchedPage(context) {
  const page = await context.newPage();
  const violations = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) {
      violations.push(`${page.url()}: ${message.text()}`);
    }
  });
  return { page, violations };
}

/** Inline styles and scripts a strict policy would refuse, if any were there. */
async function inlineCode(page) {
  return page.evaluate(() => ({
    styleAttributes: document.querySelectorAll('[style]').length,
    styleElements: document.querySelectorAll('style').length,
    inlineScripts: [...document.querySelectorAll('script:not([src])')]
      .filter((s) => s.type !== 'application/ld+json').length,
  }));
}

test('no page breaks the policy, and our scripts work under it', async () => {
  const context = await env.browser.newContext();
  const { page, violations } = await watchedPage(context);
  const article = await (async () => {
    await page.goto(`${env.server.base}/nyheder`);
    return page.$eval('main h2 a, main h3 a', (a) => a.getAttribute('href'));
  })();
  const publicPaths = ['/', '/nyheder', article, '/hjemmesider', '/soeg?q=skole', '/findes-ikke', '/admin/login',
    '/borger', '/borger/affald-og-genbrug/storskrald'];
  for (const path of publicPaths) {
    const response = await page.goto(`${env.server.base}${path}`);
    assert.ok(response.headers()['content-security-policy'], `${path} has a policy`);
    assert.deepEqual(await inlineCode(page), { styleAttributes: 0, styleElements: 0, inlineScripts: 0 }, path);
  }
  // directory.js: choosing a topic narrows the website list at once.
  await page.goto(`${env.server.base}/hjemmesider`);
  const before = await page.$$eval('#hjemmeside option', (o) => o.length);
  await page.selectOption('#emne', 'skoler');
  await page.waitForFunction((n) => document.querySelectorAll('#hjemmeside option').length < n, before);
  // Going to the chosen website (in a page of its own: the other host does
  // not exist here): the form is sent here and redirected to the other host,
  // which a `form-action` directive would make the browser refuse.
  const going = await watchedPage(context);
  await going.page.goto(`${env.server.base}/hjemmesider`);
  await going.page.selectOption('#hjemmeside', { index: 1 });
  const [redirect] = await Promise.all([
    going.page.waitForResponse((r) => r.url().includes('hjemmeside=')),
    going.page.click('form.directory-form button:not([name])'),
  ]);
  assert.equal(redirect.status(), 303);
  await going.page.close();
  violations.push(...going.violations);

  await signIn(page, env.server.base);
  for (const path of ['/admin', '/admin/nyheder', '/admin/kontaktpersoner', '/admin/emner', '/admin/hjemmesider', '/admin/papirkurv',
    '/admin/sider', '/admin/sider/ny']) {
    await page.goto(`${env.server.base}${path}`);
    assert.deepEqual(await inlineCode(page), { styleAttributes: 0, styleElements: 0, inlineScripts: 0 }, path);
  }
  // editor.js: the toolbar appears and the live preview is fetched and shown.
  await page.goto(`${env.server.base}/admin/nyheder/ny`);
  assert.ok(await page.$('[role=toolbar]'), 'the editor toolbar is there');
  await page.fill('#body', 'Et **fedt** ord.');
  await page.dispatchEvent('#body', 'input');
  await page.waitForSelector('[data-live-preview-body] strong');
  assert.equal(await page.textContent('[data-live-preview-body] strong'), 'fedt');
  assert.deepEqual(await inlineCode(page), { styleAttributes: 0, styleElements: 0, inlineScripts: 0 }, 'editor');

  assert.deepEqual(violations, [], 'the browser refused nothing');
  await context.close();
});
