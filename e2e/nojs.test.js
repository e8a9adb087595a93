// Every public feature works with JavaScript disabled, and the directory
// narrows as the topic changes when it is on.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { serverAndBrowser, axe, signIn } = require('./helpers');

// The server and the browser, started before this file's tests.
const env = serverAndBrowser();

test('without JavaScript: directory, article and search work', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  let page = await context.newPage();
  await page.goto(`${env.server.base}/`);
  const before = await page.$$eval('#hjemmeside option', (o) => o.length);
  // Sent without a website: a Danish error summary linking to the field.
  const [empty] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('hjemmeside=')),
    page.click('form.directory-form button:not([name])'),
  ]);
  assert.equal(empty.status(), 400);
  assert.equal(await page.textContent('.error-summary h2'), 'Der er et problem');
  assert.equal(await page.getAttribute('#hjemmeside', 'aria-invalid'), 'true');
  assert.equal(await page.isVisible('#find-hjemmeside'), false, 'the filter field needs JavaScript');
  await page.selectOption('#emne', 'skoler');
  await Promise.all([page.waitForURL(/emne=skoler/), page.click('button[name=vis]')]);
  const options = await page.$$eval('#hjemmeside option', (o) => o.length);
  const listed = await page.$$eval('.link-list a', (a) => new Set(a.map((x) => x.href)).size);
  assert.ok(options < before, 'the website list is narrowed to the topic');
  assert.equal(listed, options - 1, 'the page lists the same websites as the select');
  await page.selectOption('#hjemmeside', { index: 1 });
  // The answer is a 303 to the website; the machine has no network to follow it.
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('hjemmeside=')),
    page.click('form.directory-form button:not([name])').catch(() => {}),
  ]);
  assert.equal(answer.status(), 303);
  assert.match(answer.headers().location, /^https:\/\//, 'goes to the chosen website');
  await page.close();

  page = await context.newPage();
  await page.goto(`${env.server.base}/nyheder`);
  await Promise.all([page.waitForLoadState('load'), page.click('.news-item__title a')]);
  assert.ok((await page.textContent('.article__date')).startsWith('Nyhedsdato: '));
  await page.fill('#sitesoeg', 'skole');
  await Promise.all([page.waitForURL(/\/soeg\?q=skole/), page.press('#sitesoeg', 'Enter')]);
  assert.ok(await page.locator('.search-hit').count() > 0);
  await context.close();
});

test('with JavaScript the website list narrows as the topic changes', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}/hjemmesider`);
  assert.equal(await page.isVisible('button[name=vis]'), false, 'the no-script button is hidden');
  const before = await page.$$eval('#hjemmeside option', (o) => o.length);
  await page.selectOption('#emne', 'skoler');
  const after = await page.$$eval('#hjemmeside option', (o) => o.length);
  assert.ok(after < before, `${after} < ${before}`);
  assert.match(await page.textContent('[data-directory-status]'), /hjemmesider under Skoler/);
  await context.close();
});

test('with JavaScript a field filters the directory and says how many websites fit', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}/hjemmesider`);
  const all = await page.locator('[data-directory-item]:visible').count();
  await page.fill('#find-hjemmeside', 'skole');
  const shown = await page.locator('[data-directory-item]:visible').count();
  assert.ok(shown > 0 && shown < all, `${shown} of ${all}`);
  for (const text of await page.locator('[data-directory-item]:visible').allTextContents()) {
    assert.match(text.toLowerCase(), /skole/);
  }
  await page.waitForFunction(() => /hjemmesider? passer på ”skole”\.$/.test(
    document.querySelector('[data-directory-search-status]').textContent));
  await page.fill('#find-hjemmeside', 'zzzz');
  await page.waitForFunction(() => /^Ingen hjemmesider passer/.test(
    document.querySelector('[data-directory-search-status]').textContent));
  assert.equal(await page.locator('[data-directory-group]:visible').count(), 0);
  await page.fill('#find-hjemmeside', '');
  assert.equal(await page.locator('[data-directory-item]:visible').count(), all);
  await context.close();
});

test('"Kopiér link" copies the address with JavaScript and says so', async () => {
  const context = await env.browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.base });
  const page = await context.newPage();
  await page.goto(`${env.server.base}/nyheder`);
  await Promise.all([page.waitForLoadState('load'), page.click('.news-item__title a')]);
  const address = page.url();
  await page.click('a[data-copy-link]');
  await page.waitForFunction(() => document.querySelector('[data-copy-status]').textContent === 'Linket er kopieret.');
  assert.equal(page.url(), address, 'the page stays');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), address);
  await context.close();
});

test('the skip link comes first and focus is visible', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}/`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Gå til indhold');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'indhold');
  await context.close();
});

test('without JavaScript: "Fandt du det, du søgte?" takes Ja, and Nej with a comment, setting no cookie', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${env.server.base}/nyheder`);
  await Promise.all([page.waitForLoadState('load'), page.click('.news-item__title a')]);
  const article = new URL(page.url()).pathname;
  assert.equal((await page.textContent('form.feedback legend')).trim(), 'Fandt du det, du søgte?');
  await Promise.all([page.waitForLoadState('load'), page.click('form.feedback button[value=ja]')]);
  assert.equal((await page.textContent('h1')).trim(), 'Tak for din tilbagemelding');
  await Promise.all([page.waitForLoadState('load'), page.click('text=Tilbage til siden')]);
  assert.equal(new URL(page.url()).pathname, article);
  await Promise.all([page.waitForLoadState('load'), page.click('form.feedback button[value=nej]')]);
  assert.equal((await page.textContent('h1')).trim(), 'Hvad manglede du?');
  await page.fill('#kommentar', 'Jeg manglede åbningstiderne.');
  await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Send")')]);
  assert.equal((await page.textContent('h1')).trim(), 'Tak for din tilbagemelding');
  assert.deepEqual(await context.cookies(), [], 'no cookie anywhere in the flow');
  await context.close();

  // Every step has no axe violations, and focus on the buttons is visible.
  const checked = await env.browser.newContext({ bypassCSP: true });
  const step = await checked.newPage();
  await step.goto(env.server.base + article);
  assert.deepEqual(await axe(step), [], 'article with the form');
  await step.focus('form.feedback button[value=ja]');
  const outline = await step.$eval('form.feedback button[value=ja]', (b) => getComputedStyle(b).outlineStyle);
  assert.notEqual(outline, 'none', 'focus is visible');
  await Promise.all([step.waitForLoadState('load'), step.click('form.feedback button[value=nej]')]);
  assert.deepEqual(await axe(step), [], '"Hvad manglede du?"');
  await Promise.all([step.waitForLoadState('load'), step.click('button:has-text("Send")')]);
  assert.deepEqual(await axe(step), [], 'thanks');
  await checked.close();

  // At 320 px the comment page reflows.
  const phone = await env.browser.newContext({ viewport: { width: 320, height: 640 } });
  const small = await phone.newPage();
  await small.goto(env.server.base + article);
  await Promise.all([small.waitForLoadState('load'), small.click('form.feedback button[value=nej]')]);
  const width = await small.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 320, `"Hvad manglede du?" is ${width}px wide`);
  await phone.close();

  // The editors see the comment beside the article and in the report.
  const admin = await env.browser.newContext({ bypassCSP: true });
  const editor = await admin.newPage();
  await signIn(editor, env.server.base);
  await editor.goto(`${env.server.base}/admin/tilbagemeldinger`);
  assert.deepEqual(await axe(editor), [], 'the report');
  assert.ok((await editor.textContent('main')).includes('Jeg manglede åbningstiderne.'));
  await Promise.all([editor.waitForLoadState('load'), editor.click('tbody td[data-label=Side] a')]);
  assert.match(await editor.textContent('#tilbagemeldinger'), /Tilbagemeldinger: 1 ja, 3 nej/);
  assert.deepEqual(await axe(editor), [], 'the editor with feedback');
  await admin.close();
});
