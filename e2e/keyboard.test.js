// Keyboard-only journeys: Tab / Shift+Tab / Enter / Space / arrow keys, no mouse.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { serverAndBrowser, EDITOR } = require('./helpers');

// The server and the browser, started before this file's tests.
const env = serverAndBrowser();

/** Presses Tab until `selector` has focus (at most 60 times); fails otherwise. */
async function tabTo(page, selector, key = 'Tab') {
  for (let i = 0; i < 60; i += 1) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) {
      const visible = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement);
        return style.outlineStyle !== 'none' || style.boxShadow !== 'none';
      });
      assert.ok(visible, `focus on ${selector} is visible`);
      return;
    }
    await page.keyboard.press(key);
  }
  assert.fail(`could not reach ${selector} with ${key}`);
}

for (const javaScriptEnabled of [true, false]) {
  test(`directory by keyboard, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
    const context = await env.browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(`${env.server.base}/`);
    await tabTo(page, '#emne');
    // Arrow keys choose the topic "Skoler" in the closed select.
    let guard = 0;
    while ((await page.$eval('#emne', (s) => s.value)) !== 'skoler' && guard < 20) {
      await page.keyboard.press('ArrowDown');
      guard += 1;
    }
    assert.equal(await page.$eval('#emne', (s) => s.value), 'skoler');
    if (!javaScriptEnabled) {
      await tabTo(page, 'button[name=vis]');
      await Promise.all([page.waitForURL(/emne=skoler/), page.keyboard.press('Enter')]);
      await tabTo(page, '#hjemmeside');
    } else {
      await tabTo(page, '#hjemmeside');
    }
    await page.keyboard.press('ArrowDown');
    assert.notEqual(await page.$eval('#hjemmeside', (s) => s.value), '');
    await tabTo(page, 'form.directory-form button:not([name])');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('hjemmeside=')),
      page.keyboard.press('Space').catch(() => {}),
    ]);
    assert.equal(answer.status(), 303);
    await context.close();
  });
}

test('read an article and search by keyboard; Shift+Tab goes back', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}/nyheder`);
  await tabTo(page, '.news-item__title a');
  await Promise.all([page.waitForURL(/\/nyheder\/[a-z0-9-]+$/), page.keyboard.press('Enter')]);
  assert.ok((await page.textContent('.article__date')).startsWith('Nyhedsdato: '));
  await tabTo(page, '#sitesoeg');
  await page.keyboard.type('skole');
  await Promise.all([page.waitForURL(/\/soeg\?q=skole/), page.keyboard.press('Enter')]);
  await tabTo(page, '.search-hit__title a');
  await page.keyboard.press('Shift+Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement.className), 'search-hit__title');
  await tabTo(page, '.search-hit__title a');
  const target = await page.evaluate(() => document.activeElement.href);
  if (target.startsWith(env.server.base)) {
    await Promise.all([page.waitForURL(target), page.keyboard.press('Enter')]);
  }
  await context.close();
});

test('an editor signs in, writes, previews and publishes by keyboard', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}/admin/login`);
  await tabTo(page, '#email');
  await page.keyboard.type(EDITOR.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(EDITOR.password);
  await Promise.all([page.waitForURL(`${env.server.base}/admin`), page.keyboard.press('Enter')]);
  await page.goto(`${env.server.base}/admin/nyheder/ny`);
  await tabTo(page, '#title');
  await page.keyboard.type('Tastaturets nyhed');
  await tabTo(page, '#body');
  await page.keyboard.type('Skrevet uden mus.');
  // A radio group is one Tab stop; arrow keys choose within it.
  await tabTo(page, '#status-draft');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.$eval('#status-published', (r) => r.checked), true);
  // The save button says what it will do.
  assert.equal(await page.$eval('button[value=save]', (b) => b.innerText.trim()), 'Udgiv nu');
  // Preview opens the public page in a new tab.
  await tabTo(page, 'button[value=preview]');
  const [preview] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('Enter')]);
  await preview.waitForLoadState();
  assert.equal(await preview.textContent('h1'), 'Tastaturets nyhed');
  await preview.close();
  await tabTo(page, 'button[value=save]', 'Shift+Tab');
  await Promise.all([page.waitForURL(/gemt=1/), page.keyboard.press('Enter')]);
  const published = await page.goto(`${env.server.base}/nyheder/tastaturets-nyhed`);
  assert.equal(published.status(), 200);
  await context.close();
});
