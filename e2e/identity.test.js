// The municipality's identity (issue 18): "Indstillinger" and "Forside" in
// the admin work without JavaScript, say what is wrong in Danish and have no
// axe violations, wide and at 320 px; the public header's menu button opens
// without JavaScript on a phone, and the menu shows by itself on a desktop.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { serverAndBrowser, axe, signIn, screenshot } = require('./helpers');

const env = serverAndBrowser();

/** Clicks `selector` and waits for the page it leads to. */
async function follow(page, selector) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click(selector)]);
}

test('without JavaScript: settings refused in Danish, then saved and shown in the footer', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, env.server.base);
  await page.goto(`${env.server.base}/admin/indstillinger`);
  assert.equal(await page.inputValue('#name'), 'Vesterfjord Kommune');
  await page.fill('#brand_color', '#ffcc00');
  await follow(page, 'main form button[type=submit]');
  assert.match(await page.textContent('.error-summary'), /Farve: Hvid tekst på farven #ffcc00 har kontrasten/);
  assert.equal(await page.inputValue('#brand_color'), '#ffcc00', 'what was typed is kept');

  await page.fill('#brand_color', '#5a2d82');
  await page.fill('#phone', '70 20 30 40');
  await follow(page, 'main form button[type=submit]');
  assert.equal(await page.textContent('.notice'), 'Indstillingerne er gemt. Alle sider viser dem nu.');

  await page.goto(`${env.server.base}/nyheder`);
  assert.equal(await page.getAttribute('footer a[href^="tel:"]', 'href'), 'tel:+4570203040');
  const header = await page.$eval('.site-header', (h) => getComputedStyle(h).backgroundColor);
  assert.equal(header, 'rgb(90, 45, 130)', 'the brand colour from its stylesheet');
  await context.close();
});

test('the demo logo, an SVG drawing, is drawn in the header at its size', async () => {
  const page = await (await env.browser.newContext({ javaScriptEnabled: false })).newPage();
  await page.goto(`${env.server.base}/`);
  const logo = await page.$eval('header a.site-name img', (img) => ({
    src: img.getAttribute('src'),
    complete: img.complete,
    natural: img.naturalWidth,
    shown: [img.width, img.height],
  }));
  assert.match(logo.src, /^\/medier\/\d+\/[0-9a-f]{16}\/vesterfjord-logo\.svg$/);
  assert.ok(logo.complete && logo.natural > 0, `the browser drew the drawing: ${JSON.stringify(logo)}`);
  assert.deepEqual(logo.shown, [40, 48]);
  // Opened on its own, the drawing is a sandboxed document.
  const answer = await page.goto(`${env.server.base}${logo.src}`);
  assert.equal(answer.headers()['content-type'], 'image/svg+xml');
  assert.match(answer.headers()['content-security-policy'], /sandbox/);
  await page.context().close();
});

test('the menu button opens the menu without JavaScript on a phone; a desktop shows the menu', async () => {
  const phone = await (await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 640 } })).newPage();
  await phone.goto(`${env.server.base}/`);
  assert.equal(await phone.isVisible('nav[aria-label=Hovedmenu] a[href="/nyheder"]'), false);
  await phone.click('.menu-toggle > summary');
  assert.equal(await phone.isVisible('nav[aria-label=Hovedmenu] a[href="/nyheder"]'), true);
  await screenshot(phone, 'menu-telefon');
  await phone.context().close();

  const desktop = await (await env.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await desktop.goto(`${env.server.base}/`);
  assert.equal(await desktop.isVisible('.menu-toggle > summary'), false);
  assert.equal(await desktop.isVisible('nav[aria-label=Hovedmenu] a[href="/nyheder"]'), true);
  await screenshot(desktop, 'forside-desktop');
  await desktop.context().close();
});

test('Indstillinger, Forside and the composed front page: no axe violations, no sideways scrolling', async () => {
  for (const width of [1280, 320]) {
    const context = await env.browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signIn(page, env.server.base);
    for (const path of ['/admin/indstillinger', '/admin/forside', '/']) {
      const response = await page.goto(env.server.base + path);
      assert.equal(response.status(), 200, path);
      assert.deepEqual(await axe(page), [], `${path} at ${width}`);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width, `${path} is ${scroll}px wide at ${width}px`);
    }
    assert.equal(await page.locator('h1').count(), 1, 'one h1 on the front page');
    assert.equal(await page.locator('.front__lead h2').count(), 1, 'the demo leads with a story');
    if (width === 320) {
      await page.click('.menu-toggle > summary');
      assert.deepEqual(await axe(page), [], 'the open menu at 320 px');
    }
    // The settings refused: the error summary and the marked fields.
    await page.goto(`${env.server.base}/admin/indstillinger`);
    await page.fill('#brand_color', '#ffff00');
    await page.fill('#ean', '123');
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
    assert.equal(await page.locator('.error-summary li').count(), 2);
    assert.deepEqual(await axe(page), [], `the refused settings at ${width}`);
    await context.close();
  }
});
