// The news editor (issue 16): a save after the session ended keeps the text,
// unsent text is offered back, the save button says what it will do, the
// pickers work by keyboard, the form has no axe violations and reflows.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { serverAndBrowser, axe, signIn, screenshot, EDITOR } = require('./helpers');

// The server and the browser, started before this file's tests.
const env = serverAndBrowser();

/** A signed-in page in a fresh browser context. */
async function editorPage(options = {}) {
  const context = await env.browser.newContext(options);
  const page = await context.newPage();
  await signIn(page, env.server.base);
  return { context, page };
}

/** The visible text of the save button. */
function saveLabel(page) {
  return page.$eval('button[value=save]', (b) => b.innerText.trim());
}

for (const javaScriptEnabled of [true, false]) {
  test(`Gem after the session ended: sign in again, the text is kept and saved (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
    const { context, page } = await editorPage({ javaScriptEnabled });
    await page.goto(`${env.server.base}/admin/nyheder/ny`);
    const title = `Skrevet mens sessionen udløb (${javaScriptEnabled ? 'med' : 'uden'} JavaScript)`;
    await page.fill('#title', title);
    await page.fill('#body', 'Et langt afsnit, der ikke må gå tabt.');
    if (!javaScriptEnabled) {
      // Without the picker the contact persons are chosen in plain selects.
      await page.selectOption('#contact-1', { label: 'Torben Kjærsgaard, vejchef' });
    }
    // The session ends elsewhere (signed out in another tab: its row is gone).
    const other = await context.newPage();
    await other.goto(`${env.server.base}/admin`);
    await Promise.all([other.waitForURL(/ude=1/), other.click('.signout button')]);
    await other.close();
    await Promise.all([page.waitForLoadState('load'), page.click('button[value=save]')]);
    assert.match(await page.textContent('main .notice'), /Du blev logget ud – din tekst er bevaret/);
    await page.fill('#email', EDITOR.email);
    await page.fill('#password', EDITOR.password);
    await Promise.all([page.waitForLoadState('load'), page.click('main button[type=submit]')]);
    // The form is back, filled in; nothing saved yet.
    assert.equal(await page.inputValue('#title'), title);
    assert.equal(await page.inputValue('#body'), 'Et langt afsnit, der ikke må gå tabt.');
    assert.match(await page.textContent('main .notice'), /Du blev logget ud – din tekst er bevaret/);
    await Promise.all([page.waitForURL(/gemt=1/), page.click('button[value=save]')]);
    assert.match(await page.textContent('main .notice'), /Kladden er gemt/);
    assert.equal(await page.inputValue('#body'), 'Et langt afsnit, der ikke må gå tabt.');
    if (!javaScriptEnabled) {
      assert.match(await page.$eval('#contact-1', (s) => s.selectedOptions[0].textContent), /^Torben Kjærsgaard/);
      // The save button says what it will do without JavaScript too.
      assert.equal(await saveLabel(page), 'Gem kladde');
      await page.check('#status-published');
      assert.equal(await saveLabel(page), 'Udgiv nu');
    }
    await context.close();
  });
}

test('unsent text is offered back after the tab was closed, and leaving asks first', async () => {
  const { context, page } = await editorPage({ bypassCSP: true });
  await page.goto(`${env.server.base}/admin/nyheder/1`);
  const original = await page.inputValue('#title');
  await page.fill('#title', 'Ny overskrift, ikke gemt');
  await page.fill('#body', 'Tekst skrevet lige før browseren lukkede.');
  await page.waitForTimeout(700);
  // Leaving with unsaved changes asks first.
  const asked = new Promise((resolve) => page.once('dialog', (d) => { resolve(d.type()); d.dismiss(); }));
  await page.close({ runBeforeUnload: true });
  assert.equal(await asked, 'beforeunload');
  if (!page.isClosed()) {
    await page.close();
  }
  const again = await context.newPage();
  await again.goto(`${env.server.base}/admin/nyheder/1`);
  assert.equal(await again.inputValue('#title'), original);
  assert.equal(await again.textContent('.restore-draft h2'), 'Gendan utilsendt tekst?');
  assert.deepEqual(await axe(again), []);
  await again.click('text=Gendan teksten');
  assert.equal(await again.inputValue('#title'), 'Ny overskrift, ikke gemt');
  assert.equal(await again.inputValue('#body'), 'Tekst skrevet lige før browseren lukkede.');
  await Promise.all([again.waitForURL(/(gemt|opdateret)=1/), again.click('button[value=save]')]);
  assert.equal(await again.inputValue('#title'), 'Ny overskrift, ikke gemt');
  // Saved: nothing is offered any more.
  await again.goto(`${env.server.base}/admin/nyheder/1`);
  assert.equal(await again.$('.restore-draft'), null);
  // Discarding forgets it.
  await again.fill('#lead', 'Kasseres');
  await again.waitForTimeout(700);
  await again.close({ runBeforeUnload: false });
  const third = await context.newPage();
  await third.goto(`${env.server.base}/admin/nyheder/1`);
  await third.click('text=Kassér den');
  await third.reload();
  assert.equal(await third.$('.restore-draft'), null);
  await context.close();
});

test('the save button and the time fields follow the status', async () => {
  const { context, page } = await editorPage();
  await page.goto(`${env.server.base}/admin/nyheder/ny`);
  assert.equal(await saveLabel(page), 'Gem kladde');
  assert.equal(await page.isVisible('#publish_at'), false);
  assert.equal(await page.isVisible('#unpublish_at'), false);
  await page.check('#status-scheduled');
  assert.equal(await saveLabel(page), 'Planlæg');
  assert.equal(await page.isVisible('#publish_at'), true);
  await page.check('#status-published');
  assert.equal(await saveLabel(page), 'Udgiv nu');
  assert.equal(await page.isVisible('#publish_at'), false);
  assert.equal(await page.isVisible('#unpublish_at'), true);
  // Scheduled: said when, in Danish time.
  await page.fill('#title', 'Planlagt nyhed');
  await page.fill('#body', 'Tekst.');
  await page.check('#status-scheduled');
  await page.fill('#publish_at', '2030-12-10T08:00');
  await Promise.all([page.waitForURL(/gemt=1/), page.click('button[value=save]')]);
  assert.equal((await page.textContent('main .notice p')).trim(), 'Planlagt til 10. dec. 2030 kl. 08.00');
  // Published now: the link goes to the public article.
  await page.check('#status-published');
  assert.equal(await saveLabel(page), 'Udgiv nu');
  await Promise.all([page.waitForURL(/gemt=1/), page.click('button[value=save]')]);
  assert.match(await page.textContent('main .notice p'), /^Udgivet \d+\. [a-zæøå]+\.? kl\. \d\d\.\d\d – Se nyheden$/);
  assert.equal(await saveLabel(page), 'Opdater');
  await Promise.all([page.waitForURL(/\/nyheder\/planlagt-nyhed$/), page.click('main .notice a')]);
  // Binning offers an undo.
  await page.goBack();
  await Promise.all([page.waitForURL(/slettet=/), page.click('.danger-zone button')]);
  assert.equal((await page.textContent('main .notice p')).trim(), '»Planlagt nyhed« er flyttet til papirkurven.');
  await Promise.all([page.waitForURL(/hentet=1/), page.click('main .notice button')]);
  await context.close();
});

test('the contact e-mail stays on one line at desktop width', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${env.server.base}/nyheder`);
  const articles = await page.$$eval('.news-item__title a', (as) => as.map((a) => a.getAttribute('href')));
  let checked = 0;
  for (const href of articles) {
    await page.goto(env.server.base + href);
    const lines = await page.$$eval('.contacts a[href^="mailto:"]', (as) => as.map((a) => [a.textContent, a.getClientRects().length]));
    for (const [email, count] of lines) {
      assert.equal(count, 1, `${href}: ${email} breaks over ${count} lines`);
      checked += 1;
    }
  }
  assert.ok(checked >= 2, `only ${checked} e-mail addresses checked`);
  await context.close();
});

for (const width of [1280, 320]) {
  test(`the news form at ${width} px: no axe violations, no sideways scrolling`, async () => {
    const { context, page } = await editorPage({ viewport: { width, height: 900 }, bypassCSP: true });
    for (const path of ['/admin/nyheder/ny', '/admin/nyheder/1']) {
      await page.goto(env.server.base + path);
      assert.deepEqual(await axe(page), [], path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow} px`);
    }
    // The panel is beside the content on wide screens and after it on phones.
    const [content, panel] = await Promise.all(['.editor__content', '.publish-panel']
      .map((s) => page.$eval(s, (e) => e.getBoundingClientRect().toJSON())));
    if (width >= 1024) {
      assert.ok(panel.left >= content.right, 'panel to the right');
    } else {
      assert.ok(panel.top >= content.bottom, 'panel after the content');
    }
    await screenshot(page, `editor-${width}`);
    await context.close();
  });
}

/** Presses Tab (or `key`) until `selector` has focus, at most 60 times (once around the whole form). */
async function tabTo(page, selector, key = 'Tab') {
  for (let i = 0; i < 60; i += 1) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) {
      return;
    }
    await page.keyboard.press(key);
  }
  assert.fail(`could not reach ${selector} with ${key}`);
}

test('contact persons are found, added, reordered and created by keyboard', async () => {
  const { context, page } = await editorPage({ bypassCSP: true });
  await page.goto(`${env.server.base}/admin/nyheder/ny`);
  await page.fill('#title', 'Kontaktpersoner med tastaturet');
  await page.fill('#body', 'Tekst.');
  // The selects are the picker's store, hidden.
  assert.equal(await page.isVisible('#contact-1'), false);
  await page.focus('#body');
  await tabTo(page, '#contact-search');
  await page.keyboard.type('torben');
  await page.waitForSelector('.contact-picker__results button');
  await tabTo(page, '.contact-picker__results button');
  assert.match(await page.evaluate(() => document.activeElement.textContent), /^Tilføj Torben Kjærsgaard/);
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'contact-search');
  await page.keyboard.type('lene');
  await page.waitForSelector('.contact-picker__results button');
  assert.deepEqual(await axe(page), [], 'with results shown');
  await page.keyboard.press('Enter');
  const chosen = () => page.$$eval('.contact-picker__name', (e) => e.map((n) => n.textContent.split(',')[0]));
  assert.deepEqual(await chosen(), ['Torben Kjærsgaard', 'Lene Vibholm']);
  await page.waitForFunction(() => /^Lene Vibholm, .* er tilføjet som nummer 2\.$/.test(document.querySelector('#contact-live').textContent));
  await tabTo(page, 'button[aria-label^="Flyt Lene Vibholm,"][aria-label$=" op"]');
  await page.keyboard.press('Enter');
  assert.deepEqual(await chosen(), ['Lene Vibholm', 'Torben Kjærsgaard']);
  // A new person, created in place: the new contact's fields are filled in.
  await tabTo(page, '#contact-search');
  await page.keyboard.type('Ida Mark');
  await page.waitForSelector('.contact-picker__results button >> text=Opret');
  await tabTo(page, '.contact-picker__results button');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Opret »Ida Mark« som ny kontaktperson');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'new_job_title');
  assert.equal(await page.inputValue('#new_name'), 'Ida Mark');
  await page.keyboard.type('presserådgiver');
  await Promise.all([page.waitForURL(/gemt=1/), page.click('button[value=save]')]);
  assert.deepEqual(await chosen(), ['Lene Vibholm', 'Torben Kjærsgaard', 'Ida Mark']);
  await context.close();
});

test('the link picker inserts links to news and websites by keyboard', async () => {
  const { context, page } = await editorPage({ bypassCSP: true });
  await page.goto(`${env.server.base}/admin/nyheder/ny`);
  await page.fill('#body', 'Læs mere: ');
  await page.$eval('#body', (b) => b.setSelectionRange(b.value.length, b.value.length));
  await tabTo(page, 'button[aria-controls="link-picker"]');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'link-search');
  await page.keyboard.type('byskole');
  await page.waitForSelector('.link-picker__choose >> text=/Hjemmeside: Vesterfjord Byskole/');
  assert.deepEqual(await axe(page), [], 'link picker open');
  await tabTo(page, '.link-picker__choose');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'body');
  assert.match(await page.inputValue('#body'), /^Læs mere: \[Vesterfjord Byskole\]\(https?:\/\/[^)\s]+\)$/);
  // A news article, linked from the selected words.
  await page.fill('#body', 'Se vinterberedskabet her.');
  await page.$eval('#body', (b) => b.setSelectionRange(3, 20));
  await page.click('button[aria-controls="link-picker"]');
  await page.keyboard.type('vinter');
  await page.waitForSelector('.link-picker__choose >> text=/^Nyhed: /');
  await page.keyboard.press('Enter');
  assert.match(await page.inputValue('#body'), /^Se \[vinterberedskabet\]\(\/nyheder\/[a-z0-9-]+\) her\.$/);
  await context.close();
});
