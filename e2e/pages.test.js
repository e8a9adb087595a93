// Content pages and the admin's "Sider" (issue 18) in the browser: a page
// three levels deep (fold-outs, fact box, side navigation, breadcrumbs), a
// page with "Undersider", the tree, the editor and "Flyt til…" have no axe
// violations, wide and at 320 CSS px; the header's menu opens and wraps long
// labels on a phone; pages move without JavaScript (buttons and "Flyt til…")
// and with it (page_tree.js: by keyboard and by dragging), and the public
// site follows; a fragment inside a fold-out opens it (foldeud.js).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { serverAndBrowser, axe, signIn, screenshot, apiToken } = require('./helpers');

const env = serverAndBrowser();

/** A demo page three levels down, with fold-outs, a fact box and a contact person. */
const DEEP = '/borger/affald-og-genbrug/storskrald';

/** Clicks `selector` and waits for the page it leads to. */
async function follow(page, selector) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click(selector)]);
}

/** The admin tree's item of the page titled `title`. */
function treeItem(page, title) {
  return page.locator(`li[data-page-id][data-title="${title}"]`);
}

/** The titles of the subpages `path` lists publicly, in order. */
async function publicSubpages(browser, path) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const response = await page.goto(env.server.base + path);
  assert.equal(response.status(), 200, path);
  const titles = await page.$$eval('.subpages__link', (links) => links.map((a) => a.textContent.trim()));
  await context.close();
  return titles;
}

/** The titles of the tree's subpages of the page titled `title`, in order. */
function treeChildren(page, title) {
  return treeItem(page, title).evaluate((li) => Array.from(
    li.querySelectorAll(':scope > details > ul > li[data-page-id]'),
    (child) => child.getAttribute('data-title'),
  ));
}

test('content pages, the tree, the editor and "Flyt til…": no axe violations, no sideways scrolling', async () => {
  for (const width of [1280, 320]) {
    const context = await env.browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(env.server.base + DEEP);
    // What the page is made of, so the check covers it.
    assert.deepEqual(await page.$$eval('.breadcrumbs a', (a) => a.map((x) => x.textContent.trim())),
      ['Forside', 'Borger', 'Affald og genbrug', 'Storskrald']);
    assert.ok(await page.locator('.article__body details.foldeud').count() >= 2, 'fold-outs');
    assert.equal(await page.locator('.article__body .faktaboks').count(), 1, 'a fact box');
    assert.ok(await page.locator('.side-nav a').count() >= 3, 'side navigation');
    const contacts = await page.$$eval('main .contact__name', (p) => p.map((x) => x.textContent.trim()));
    assert.ok(contacts.length > 0 && new Set(contacts).size === contacts.length, `each contact once: ${contacts}`);
    await signIn(page, env.server.base);
    await page.goto(`${env.server.base}/admin/sider`);
    const id = await treeItem(page, 'Storskrald').getAttribute('data-page-id');
    const found = {};
    for (const path of [DEEP, '/borger', `${DEEP}#foldeud-hvad-er-storskrald`, '/admin/sider', '/admin/sider/ny',
      `/admin/sider/ny?under=${id}`, `/admin/sider/${id}`, `/admin/sider/${id}/flyt`, `/admin/sider/${id}/versioner`]) {
      const response = await page.goto(env.server.base + path);
      assert.equal(response.status(), 200, path);
      const violations = await axe(page);
      if (violations.length > 0) {
        found[path] = violations;
      }
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width, `${path} is ${scroll}px wide at ${width}px`);
      if (path === '/borger') {
        assert.ok(await page.locator('.subpages__item').count() >= 3, '/borger lists its subpages');
      }
    }
    // "Flyt til…" refused: the error summary and the marked field.
    await page.goto(`${env.server.base}/admin/sider/${id}/flyt`);
    await page.fill('#placering', 'nul');
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
    assert.equal(await page.getAttribute('#placering', 'aria-invalid'), 'true');
    const refused = await axe(page);
    if (refused.length > 0) {
      found['refused move'] = refused;
    }
    // With a page held by keyboard in the tree.
    await page.goto(`${env.server.base}/admin/sider`);
    await treeItem(page, 'Affald og genbrug').locator(':scope > .page-tree__row .page-tree__handle').press('Space');
    const held = await axe(page);
    if (held.length > 0) {
      found['tree with a page held'] = held;
    }
    assert.deepEqual(found, {}, `at ${width}px`);
    if (width === 320) {
      await page.goto(env.server.base + DEEP);
      await screenshot(page, 'indholdsside-telefon');
      await page.goto(`${env.server.base}/admin/sider`);
      await screenshot(page, 'admin-sider-telefon');
    }
    await context.close();
  }
});

test('at 320 px: no sideways scrolling, the menu button shows the menu and long labels wrap', async () => {
  // A top-level page whose title is longer than a phone is wide.
  const token = apiToken(env.server, 'e2e-pages');
  const long = 'Beskæftigelsesindsatsen for borgere med handicap og deres pårørende i hele kommunen';
  const response = await fetch(`${env.server.base}/api/v1/pages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: long, lead: 'Et langt menupunkt.', body: 'Tekst.', parent_id: null, status: 'published' }),
  });
  assert.equal(response.status, 201, await response.text());

  const context = await env.browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  for (const path of ['/', DEEP]) {
    await page.goto(env.server.base + path);
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `${path} is ${scroll}px wide in ${client}px`);
    const entry = page.locator('nav[aria-label=Hovedmenu] a', { hasText: 'Borger' }).first();
    assert.equal(await entry.isVisible(), false, `${path}: the menu starts closed`);
    await page.click('.menu-toggle > summary');
    assert.equal(await entry.isVisible(), true, `${path}: the button opens the menu`);
    for (const title of ['Borger', 'Erhverv', 'Politik', 'Om kommunen']) {
      assert.equal(await page.locator(`nav[aria-label=Hovedmenu] a:text-is("${title}")`).isVisible(), true, title);
    }
    const label = page.locator(`nav[aria-label=Hovedmenu] a:text-is("${long}")`);
    const box = await label.boundingBox();
    const lineHeight = await label.evaluate((a) => parseFloat(getComputedStyle(a).lineHeight));
    assert.ok(box.x >= 0 && box.x + box.width <= 320, `the long label fits: ${JSON.stringify(box)}`);
    assert.ok(box.height > 1.5 * lineHeight, `the long label wraps: ${box.height}px high, lines ${lineHeight}px`);
    const open = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(open <= 320, `${path} with the menu open is ${open}px wide`);
  }
  await screenshot(page, 'menu-lang-telefon');
  await context.close();
});

test('without JavaScript: the menu opens, and pages move up, down and under another page', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 700 } });
  const page = await context.newPage();
  await page.goto(env.server.base + DEEP);
  await page.click('.menu-toggle > summary');
  assert.equal(await page.isVisible('nav[aria-label=Hovedmenu] a:text-is("Erhverv")'), true);

  const before = await publicSubpages(env.browser, '/borger');
  assert.equal(before[1], 'Skole og uddannelse');
  await signIn(page, env.server.base);
  await page.goto(`${env.server.base}/admin/sider`);
  assert.equal(await page.locator('.page-tree__handle').count(), 0, 'no drag handles without JavaScript');
  await follow(page, 'button:has-text("Flyt op: »Skole og uddannelse«")');
  assert.match(await page.textContent('.notice'), /»Skole og uddannelse« er flyttet/);
  const up = await publicSubpages(env.browser, '/borger');
  assert.deepEqual(up.slice(0, 2), ['Skole og uddannelse', before[0]], 'the public page follows');
  await follow(page, 'button:has-text("Flyt ned: »Skole og uddannelse«")');
  await follow(page, 'button:has-text("Flyt ned: »Skole og uddannelse«")');
  const down = await publicSubpages(env.browser, '/borger');
  assert.deepEqual(down.slice(0, 3), [before[0], before[2], 'Skole og uddannelse']);

  // "Madservice" goes under "Erhverv", first; its old address sends on to the new.
  // It is three levels down, in a folded branch of the tree.
  await page.click('summary:has-text("til »Ældre og sundhed«")');
  await follow(page, 'a:has-text("Flyt til… »Madservice«")');
  const erhverv = await page.$eval('#parent_id', (select) => Array.from(select.options)
    .find((o) => o.textContent.startsWith('Erhverv (')).value);
  await page.selectOption('#parent_id', erhverv);
  await page.fill('#placering', '1');
  await follow(page, 'main form button[type=submit]');
  assert.match(await page.textContent('.notice'), /»Madservice« er flyttet\. Den har nu adressen \/erhverv\/madservice\./);
  assert.equal((await publicSubpages(env.browser, '/erhverv'))[0], 'Madservice');
  assert.ok(!(await publicSubpages(env.browser, '/borger/aeldre-og-sundhed')).includes('Madservice'));
  const old = await fetch(`${env.server.base}/borger/aeldre-og-sundhed/madservice`, { redirect: 'manual' });
  assert.equal(old.status, 301);
  assert.equal(new URL(old.headers.get('location'), env.server.base).pathname, '/erhverv/madservice');
  await context.close();
});

test('with JavaScript the tree moves a page by keyboard, and the move is saved', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server.base);
  await page.goto(`${env.server.base}/admin/sider`);
  assert.deepEqual(await treeChildren(page, 'Om kommunen'),
    ['Kontakt', 'Fakta om Vesterfjord', 'Job i kommunen', 'Presse', 'Privatlivspolitik']);
  assert.equal(await page.isVisible('[data-page-tree-help]'), true, 'the keys are explained');
  const handle = treeItem(page, 'Presse').locator(':scope > .page-tree__row .page-tree__handle');
  await handle.focus();
  await page.keyboard.press('Space');
  assert.equal(await handle.getAttribute('aria-pressed'), 'true');
  assert.match(await page.textContent('[data-page-tree-status]'), /^»Presse« er taget, nummer 4 af 5 under »Om kommunen«/);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.match(await page.textContent('[data-page-tree-status]'), /^»Presse« er nu nummer 2 af 5/);
  // Escape puts it back where it was.
  await page.keyboard.press('Escape');
  assert.deepEqual((await treeChildren(page, 'Om kommunen'))[3], 'Presse');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowUp');
  await Promise.all([page.waitForURL(/flyttet=/), page.keyboard.press('Enter')]);
  assert.match(await page.textContent('.notice'), /»Presse« er flyttet/);
  assert.equal(await page.evaluate(() => document.activeElement.closest('li').getAttribute('data-title')), 'Presse',
    'the moved page keeps the focus');
  await page.reload();
  assert.deepEqual(await treeChildren(page, 'Om kommunen'),
    ['Kontakt', 'Fakta om Vesterfjord', 'Presse', 'Job i kommunen', 'Privatlivspolitik']);
  assert.deepEqual(await publicSubpages(env.browser, '/om-kommunen'),
    ['Kontakt', 'Fakta om Vesterfjord', 'Presse', 'Job i kommunen', 'Privatlivspolitik']);

  // Arrow right puts it under the page above it; the address follows.
  await treeItem(page, 'Presse').locator(':scope > .page-tree__row .page-tree__handle').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  assert.match(await page.textContent('[data-page-tree-status]'), /^»Presse« er nu nummer 1 af 1 under »Fakta om Vesterfjord«/);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Space')]);
  assert.match(await page.textContent('.notice'), /Den har nu adressen \/om-kommunen\/fakta\/presse\./);
  await page.reload();
  assert.deepEqual(await treeChildren(page, 'Fakta om Vesterfjord'), ['Presse']);
  const moved = await fetch(`${env.server.base}/om-kommunen/fakta/presse`);
  assert.equal(moved.status, 200);
  await context.close();
});

test('with JavaScript a page is dragged with the mouse, and the move is saved', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server.base);
  await page.goto(`${env.server.base}/admin/sider`);
  assert.deepEqual(await treeChildren(page, 'Politik'), ['Byrådet', 'Udvalg', 'Høringer']);
  const row = (title) => treeItem(page, title).locator(':scope > .page-tree__row');
  // Dropped on a page's row, it goes before that page.
  await Promise.all([
    page.waitForURL(/flyttet=/),
    row('Høringer').dragTo(row('Byrådet'), { sourcePosition: { x: 4, y: 4 }, targetPosition: { x: 4, y: 4 } }),
  ]);
  await page.reload();
  assert.deepEqual(await treeChildren(page, 'Politik'), ['Høringer', 'Byrådet', 'Udvalg']);
  assert.deepEqual(await publicSubpages(env.browser, '/politik'), ['Høringer', 'Byrådet', 'Udvalg']);
  await context.close();
});

test('a fragment inside a fold-out opens it, on load and when followed', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}${DEEP}#foldeud-hvis-du-bor-i-lejlighed`);
  const isOpen = (id) => page.$eval(`#${id}`, (d) => d.open);
  assert.equal(await isOpen('foldeud-hvis-du-bor-i-lejlighed'), true);
  assert.equal(await isOpen('foldeud-hvad-er-storskrald'), false, 'the other stays closed');
  assert.equal(await page.isVisible('text=Din boligforening har en fælles ordning'), true);
  await page.evaluate(() => { window.location.hash = 'foldeud-hvad-er-storskrald'; });
  await page.waitForFunction(() => document.getElementById('foldeud-hvad-er-storskrald').open);
  await context.close();
});
