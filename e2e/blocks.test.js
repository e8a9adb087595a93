// Body blocks in the browser: a fold-out opens when the address's fragment
// points at it (on load, on a link within the page, on any change of the
// fragment: foldeud.js), works without JavaScript, passes axe and reflows at
// 320 CSS px with a fact box and a contact person; the editor's buttons
// insert blocks and the live preview shows them.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { serverAndBrowser, axe, signIn, screenshot, apiToken } = require('./helpers');

const env = serverAndBrowser();

async function api(token, method, path, json) {
  const response = await fetch(`${env.server.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
  const body = await response.json();
  assert.equal(response.status, 201, JSON.stringify(body));
  return body;
}

/** A published article with two fold-outs, a fact box and a contact person. */
let made;
async function article() {
  if (made) return made;
  const token = apiToken(env.server, 'e2e-blocks');
  const contact = await api(token, 'POST', '/api/v1/contacts', {
    name: 'Jens Krog', job_title: 'affaldschef', email: 'jens.krog.affaldschef@vesterfjord.example', phone: '86 12 34 56',
  });
  const body = [
    'Storskrald hentes ved døren. [Se hvem der kan få det hentet](#foldeud-hvem-kan-faa-hentet).',
    '',
    '::: foldeud Hvornår hentes det?',
    'Hver anden uge, om **mandagen**.',
    ':::',
    '',
    '::: foldeud Hvem kan få hentet?',
    'Alle husstande.',
    '',
    `::: kontakt ${contact.id}`,
    ':::',
    '',
    '::: faktaboks Fakta om storskrald',
    '- Højst 2 m³ ad gangen',
    '- Gratis',
    ':::',
  ].join('\n');
  const news = await api(token, 'POST', '/api/v1/news', { title: 'Storskrald', body, status: 'published' });
  made = `/nyheder/${news.slug}`;
  return made;
}

const isOpen = (page, id) => page.$eval(`#${id}`, (d) => d.open);

test('a fold-out opens when the fragment points at it', async () => {
  const path = await article();
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}${path}#foldeud-hvornaar-hentes-det`);
  assert.equal(await isOpen(page, 'foldeud-hvornaar-hentes-det'), true, 'opened on load');
  assert.equal(await isOpen(page, 'foldeud-hvem-kan-faa-hentet'), false, 'the other stays closed');
  // A link within the page to another fold-out opens it.
  await page.click('a[href="#foldeud-hvem-kan-faa-hentet"]');
  await page.waitForFunction(() => document.getElementById('foldeud-hvem-kan-faa-hentet').open);
  // Any change of the fragment, also one the browser does not scroll for
  // (set by script, as a single-page link or the back button may): the
  // script alone opens it.
  await page.evaluate(() => {
    document.querySelectorAll('details').forEach((d) => { d.open = false; });
    history.replaceState(null, '', '#foldeud-hvornaar-hentes-det');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  assert.equal(await isOpen(page, 'foldeud-hvornaar-hentes-det'), true, 'opened on hashchange');
  // A fragment that names nothing, or is malformed, changes nothing.
  const fresh = await context.newPage();
  await fresh.goto(`${env.server.base}${path}#%E0%A4%A`);
  assert.equal(await isOpen(fresh, 'foldeud-hvornaar-hentes-det'), false);
  await context.close();
});

test('without JavaScript the fold-outs are closed and open when clicked', async () => {
  const path = await article();
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${env.server.base}${path}`);
  assert.equal(await page.isVisible('text=Hver anden uge'), false);
  await page.click('#foldeud-hvornaar-hentes-det > summary');
  assert.equal(await page.isVisible('text=Hver anden uge'), true);
  await context.close();
});

test('blocks pass axe and reflow at 320 CSS px', async () => {
  const path = await article();
  for (const width of [320, 1280]) {
    const context = await env.browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${env.server.base}${path}#foldeud-hvem-kan-faa-hentet`);
    assert.deepEqual(await axe(page), [], `axe at ${width}px`);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= width, `${scroll}px wide at ${width}px`);
    await screenshot(page, `blocks-${width}`);
    await context.close();
  }
});

test('the editor inserts blocks and previews them', async () => {
  const context = await env.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, env.server.base);
  await page.goto(`${env.server.base}/admin/nyheder/ny`);
  await page.click('.block-help > summary');
  await page.fill('#body', 'Indledning.');
  await page.focus('#body');
  await page.evaluate(() => {
    const body = document.getElementById('body');
    body.setSelectionRange(body.value.length, body.value.length);
  });
  await page.click('button[data-block=foldeud]');
  // The placeholder title is selected: typing replaces it.
  await page.keyboard.type('Hvem kan søge?');
  assert.equal(
    await page.inputValue('#body'),
    'Indledning.\n\n::: foldeud Hvem kan søge?\nTekst\n:::\n\n',
  );
  await page.waitForSelector('[data-live-preview-body] details.foldeud > summary');
  assert.equal(await page.textContent('[data-live-preview-body] summary'), 'Hvem kan søge?');
  assert.deepEqual(await axe(page), [], 'axe on the editor');
  await context.close();
});
