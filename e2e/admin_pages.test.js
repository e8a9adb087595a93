// The rest of the admin (issue 16): users, confirmations, the bin and the log
// work without JavaScript; every admin page has no axe violations and needs
// no horizontal scrolling, on a desktop and at 320 CSS px.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { serverAndBrowser, axe, signIn, screenshot } = require('./helpers');

// The server and the browser, started before this file's tests.
const env = serverAndBrowser();

const NEW_PASSWORD = 'en helt ny adgangskode';

/** The row of the users' table that names `name`. */
function userRow(page, name) {
  return page.locator('tbody tr', { has: page.locator(`th:text-is("${name}")`) });
}

/** Clicks `selector` and waits for the page it leads to. */
async function follow(page, selector) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click(selector)]);
}

test('without JavaScript: users, reset links, confirmations and the bin', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, env.server.base);

  // A new editor.
  await page.goto(`${env.server.base}/admin/brugere`);
  await page.fill('#email', 'bo@vesterfjord.example');
  await page.fill('#name', 'Bo Hansen');
  await page.selectOption('#role', 'editor');
  await page.fill('#password', 'en god lang adgangskode');
  await follow(page, 'form[action="/admin/brugere"] button[type=submit]');
  assert.equal(await page.textContent('.notice'), 'Brugeren er oprettet.');

  // A one-time link for a new password, shown once.
  await follow(page, 'tr:has(th:text-is("Bo Hansen")) form[action$="/nulstil"] button');
  const link = await page.inputValue('#nulstil-link');
  assert.match(link, /\/admin\/ny-adgangskode\/[A-Za-z0-9_-]+$/);

  // Blocking asks first; the answer blocks; the block is lifted again.
  await follow(page, 'tr:has(th:text-is("Bo Hansen")) a[href$="/spaer"]');
  assert.equal(await page.textContent('h1'), 'Spær Bo Hansen?');
  await follow(page, 'main form button[type=submit]');
  assert.match(await page.textContent('.notice'), /^Brugeren er spærret/);
  assert.equal(await userRow(page, 'Bo Hansen').locator('td[data-label=Status]').textContent(), 'Spærret');
  await follow(page, 'tr:has(th:text-is("Bo Hansen")) form[action$="/aktiver"] button');
  assert.equal(await userRow(page, 'Bo Hansen').locator('td[data-label=Status]').textContent(), 'Aktiv');
  await follow(page, 'tr:has(th:text-is("Bo Hansen")) form[action$="/rolle"] button');
  assert.equal(await page.textContent('.notice'), 'Rollen er gemt.');

  // Bo follows the link, signed out, and chooses a password.
  const visitor = await (await env.browser.newContext({ javaScriptEnabled: false })).newPage();
  await visitor.goto(link);
  await visitor.fill('#password', NEW_PASSWORD);
  await visitor.fill('#password_again', NEW_PASSWORD);
  await follow(visitor, 'main button[type=submit]');
  assert.match(await visitor.textContent('.notice'), /Din nye adgangskode er gemt/);
  const again = await visitor.goto(link);
  assert.equal(again.status(), 410, 'the link works once');
  await visitor.context().close();

  // Deleting a website asks first; "Fortryd" leaves it.
  await page.goto(`${env.server.base}/admin/hjemmesider`);
  const name = (await page.textContent('tbody tr:first-child td a')).trim();
  await follow(page, 'tbody tr:first-child td a');
  await follow(page, '.danger-zone a');
  assert.equal(await page.textContent('h1'), `Slet hjemmesiden »${name}«?`);
  await follow(page, 'main a.button--secondary');
  await follow(page, '.danger-zone a');
  await follow(page, 'main form button[type=submit]');
  assert.equal(await page.textContent('.notice'), 'Slettet.');
  assert.equal(await page.locator(`tbody td a:text-is("${name}")`).count(), 0);

  // An article to the bin: the bin says who and when.
  await page.goto(`${env.server.base}/admin/nyheder`);
  const title = (await page.textContent('tbody tr:first-child td a')).trim();
  await follow(page, 'tbody tr:first-child td a');
  await follow(page, 'form[action$="/slet"] button');
  await page.goto(`${env.server.base}/admin/papirkurv`);
  const row = page.locator('tbody tr', { has: page.locator(`th:text-is("${title}")`) });
  assert.equal(await row.locator('td[data-label=Af]').textContent(), 'Eva Redaktør');
  assert.match(await row.locator('td[data-label="Lagt i papirkurven"]').textContent(), / kl\. \d\d\.\d\d$/);

  // The log tells it in Danish.
  await page.goto(`${env.server.base}/admin/log`);
  const lines = await page.$$eval('td.log-line', (cells) => cells.map((c) => c.textContent.replace(/\s+/g, ' ').trim()));
  assert.ok(lines.includes(`Eva Redaktør flyttede »${title}« til papirkurven`), lines.slice(0, 5).join('\n'));
  assert.ok(lines.includes('Eva Redaktør spærrede brugeren »bo@vesterfjord.example«'));
  assert.ok(lines.includes('Bo Hansen valgte en ny adgangskode til »bo@vesterfjord.example« med et engangslink'));
  await context.close();
});

/** Every admin page, with the ids and the reset link it needs. */
async function adminPages(page) {
  const base = env.server.base;
  await page.goto(`${base}/admin/nyheder`);
  const article = await page.getAttribute('tbody tr:first-child td a', 'href');
  await page.goto(`${base}/admin/hjemmesider`);
  const website = await page.getAttribute('tbody tr:first-child td a', 'href');
  await page.goto(`${base}/admin/brugere`);
  const user = await userRow(page, 'Bo Hansen').getAttribute('id');
  await follow(page, 'tr:has(th:text-is("Bo Hansen")) form[action$="/nulstil"] button');
  const reset = new URL(await page.inputValue('#nulstil-link')).pathname;
  // Something for the reports: an address not found and a search without
  // results (written to the database within 5 seconds).
  await page.goto(`${base}/findes-ikke-e2e?fra=nyhedsbrev`);
  await page.goto(`${base}/soeg?q=ingenting+her`);
  for (let i = 0; i < 50; i++) {
    await page.goto(`${base}/admin/rapporter/ikke-fundet`);
    if (await page.locator('tbody tr').count() > 0) break;
    await page.waitForTimeout(200);
  }
  return [
    '/admin', '/admin/nyheder', '/admin/nyheder?status=scheduled', '/admin/nyheder/ny', article, `${article}/versioner`,
    '/admin/kontaktpersoner', '/admin/kontaktpersoner/ny', '/admin/emner', '/admin/hjemmesider', website,
    `${website}/slet`, '/admin/brugere', `/admin/brugere/${user.replace('bruger-', '')}/spaer`,
    `/admin/brugere/${user.replace('bruger-', '')}/adgang`, '/admin/websteder', '/admin/log',
    '/admin/papirkurv', reset, '/admin/ny-adgangskode/brugt-eller-ukendt',
    '/admin/omdirigeringer', '/admin/omdirigeringer/ny?fra=/gammel-side', '/admin/tilbagemeldinger',
    '/admin/rapporter', '/admin/rapporter/ikke-fundet', '/admin/rapporter/soegninger',
    '/admin/rapporter/visninger',
    '/admin/anbefalede-resultater', '/admin/anbefalede-resultater/ny', '/admin/anbefalede-resultater/1/slet',
    '/admin/doede-links',
  ];
}

test('every admin page: no axe violations and no sideways scrolling, wide and at 320 px', async () => {
  const wide = await env.browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await wide.newPage();
  await signIn(page, env.server.base);
  const paths = await adminPages(page);
  const narrow = await env.browser.newContext({ bypassCSP: true, viewport: { width: 320, height: 640 } });
  const phone = await narrow.newPage();
  await signIn(phone, env.server.base);
  for (const [label, tab, width] of [['desktop', page, 1280], ['320', phone, 320]]) {
    for (const path of paths) {
      const response = await tab.goto(env.server.base + path);
      assert.ok(response.status() < 500, `${path}: ${response.status()}`);
      assert.deepEqual(await axe(tab), [], `${path} at ${label}`);
      const scroll = await tab.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width, `${path} is ${scroll}px wide at ${width}px`);
    }
  }
  // Lists are cards on a phone: one card per row, nothing scrolls sideways.
  await phone.goto(`${env.server.base}/admin/nyheder`);
  assert.equal(await phone.$eval('tbody tr', (tr) => getComputedStyle(tr).display), 'block');
  await page.goto(`${env.server.base}/admin/nyheder`);
  assert.equal(await page.$eval('tbody tr', (tr) => getComputedStyle(tr).display), 'table-row');
  for (const [name, path] of [['admin-nyheder', '/admin/nyheder'], ['admin-brugere', '/admin/brugere'],
    ['admin-log', '/admin/log'], ['admin-forside', '/admin']]) {
    await phone.goto(env.server.base + path);
    await screenshot(phone, `${name}-telefon`);
  }
  await wide.close();
  await narrow.close();
});
