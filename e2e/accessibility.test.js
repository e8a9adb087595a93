// Zero axe-core violations (WCAG 2.0/2.1 A and AA, and axe's best practices:
// see helpers.js) on every page type,
// public and admin; reflow at 320 CSS px; screenshots at phone and desktop width.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { serverAndBrowser, axe, signIn, screenshot } = require('./helpers');

// The server and the browser, started before this file's tests.
const env = serverAndBrowser();

/** A page and the address of the first article on /nyheder. */
async function firstArticle(page) {
  await page.goto(`${env.server.base}/nyheder`);
  return page.getAttribute('.news-item__title a', 'href');
}

test('public pages have no axe violations', async () => {
  const context = await env.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const article = await firstArticle(page);
  // Every page is checked before the verdict, which names all that failed.
  const found = {};
  for (const path of ['/', '/nyheder', '/nyheder?side=2', article, '/hjemmesider', '/hjemmesider?emne=skoler',
    '/hjemmesider?emne=&hjemmeside=',
    '/soeg', '/soeg?q=skole', '/soeg?q=skole&type=nyhed', '/soeg?q=rumskib', '/soeg?q=affald', '/soeg?q=affalt',
    '/findes-ikke']) {
    const response = await page.goto(env.server.base + path);
    assert.ok(response.status() < 500, `${path}: ${response.status()}`);
    const violations = await axe(page);
    if (violations.length > 0) {
      found[path] = violations;
    }
  }
  assert.deepEqual(found, {});
  await context.close();
});

test('a misspelled search offers the site\'s own word as a link', async () => {
  const context = await env.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${env.server.base}/soeg?q=affalt`);
  assert.equal(await page.getAttribute('.search-suggestion a', 'href'), '/soeg?q=affald');
  assert.equal(await page.textContent('.search-suggestion a'), 'affald');
  assert.deepEqual(await axe(page), []);
  await Promise.all([page.waitForURL(/\/soeg\?q=affald$/), page.click('.search-suggestion a')]);
  assert.ok(await page.locator('.search-hit').count() > 0, 'the suggestion finds something');
  assert.equal(await page.locator('.search-suggestion').count(), 0);
  await context.close();
});

test('admin pages have no axe violations, also with validation errors shown', async () => {
  const context = await env.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${env.server.base}/admin/login`);
  assert.deepEqual(await axe(page), [], 'sign-in');
  await signIn(page, env.server.base);
  for (const path of ['/admin', '/admin/nyheder', '/admin/nyheder/ny', '/admin/nyheder/1',
    '/admin/nyheder/1/versioner', '/admin/kontaktpersoner', '/admin/kontaktpersoner/ny', '/admin/emner',
    '/admin/emner/ny', '/admin/hjemmesider', '/admin/hjemmesider/ny', '/admin/brugere', '/admin/websteder', '/admin/log',
    '/admin/papirkurv', '/admin/doede-links']) {
    await page.goto(env.server.base + path);
    assert.deepEqual(await axe(page), [], path);
  }
  // The news form with errors next to the fields (the browser's own checks off).
  await page.goto(`${env.server.base}/admin/nyheder/ny`);
  await page.$eval('form[data-editor]', (form) => { form.noValidate = true; });
  await page.fill('#news_date', '');
  await page.fill('#new_email', 'ikke-en-mail');
  await Promise.all([page.waitForLoadState('load'), page.click('button[value=save]')]);
  assert.ok(await page.isVisible('#title-fejl'), 'error shown next to the title');
  assert.deepEqual(await axe(page), [], 'news form with errors');
  await context.close();
});

test('nothing needs horizontal scrolling at 320 CSS px', async () => {
  const context = await env.browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const article = await firstArticle(page);
  for (const path of ['/', '/nyheder', article, '/hjemmesider', '/soeg?q=skole', '/admin/login']) {
    await page.goto(env.server.base + path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `${path} is ${width}px wide`);
  }
  await context.close();
});

test('search filters come after the results on a phone, beside them on a wide screen, and work without JavaScript', async () => {
  for (const [width, beside] of [[320, false], [1280, true]]) {
    const context = await env.browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${env.server.base}/soeg?q=skole`);
    const results = await page.locator('ol.search-results').boundingBox();
    const filters = await page.locator('.search-filters').boundingBox();
    if (beside) {
      assert.ok(filters.x >= results.x + results.width, `${width}px: the filters stand right of the results`);
      assert.ok(filters.y < results.y + results.height, `${width}px: beside, not below`);
    } else {
      assert.ok(filters.y >= results.y + results.height, `${width}px: the filters come after the results`);
    }
    // A type link narrows the search and is then marked as chosen.
    const link = page.locator('.search-filters ul[aria-labelledby=filtre-type] a').nth(1);
    const label = (await link.innerText()).trim();
    await Promise.all([page.waitForURL(/type=/), link.click()]);
    const chosen = page.locator('.search-filters ul[aria-labelledby=filtre-type] a[aria-current=true]');
    assert.equal((await chosen.innerText()).trim(), label);
    assert.equal(await page.inputValue('#soeg-q'), 'skole', 'the query is kept');
    await screenshot(page, `soeg-filtre-${width}`);
    await context.close();
  }
});

test('screenshots at phone and desktop width', async () => {
  for (const [name, width] of [['telefon', 390], ['desktop', 1280]]) {
    const context = await env.browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const article = await firstArticle(page);
    for (const [label, path] of [['forside', '/'], ['nyheder', '/nyheder'], ['artikel', article],
      ['hjemmesider', '/hjemmesider'], ['soeg', '/soeg?q=skole']]) {
      await page.goto(env.server.base + path);
      await screenshot(page, `${label}-${name}`);
    }
    await context.close();
  }
});
