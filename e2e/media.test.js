// The media library in the admin (issue 17): uploading works without
// JavaScript (a plain file input) and with it (drop zone, preview, a click
// sets the focal point); the library, upload, file and inaccessible
// documents pages have no axe violations.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const zlib = require('node:zlib');
const { serverAndBrowser, axe, signIn, screenshot } = require('./helpers');

const env = serverAndBrowser();

// CRC-32 of PNG chunks.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) {
    c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
/** A `w`×`h` RGB PNG with a gradient. */
function png(w, h) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y += 1) {
    const row = y * (w * 3 + 1);
    for (let x = 0; x < w; x += 1) {
      raw[row + 1 + x * 3] = x % 256;
      raw[row + 2 + x * 3] = y % 256;
      raw[row + 3 + x * 3] = 128;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function noViolations(page, name) {
  const violations = await axe(page);
  if (violations.length > 0) {
    await screenshot(page, name);
  }
  assert.deepEqual(violations, [], `${name}: ${violations.join('\n')}`);
}

/** Clicks `selector` and waits for the page it leads to. */
async function follow(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

test('with JavaScript: drop a file, see it, click to set the focal point, upload', async () => {
  // axe is added as an inline script, which the site's CSP forbids.
  const context = await env.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, env.server.base);
  await page.goto(`${env.server.base}/admin/medier/ny`);
  await noViolations(page, 'media-upload');
  assert.equal(await page.isVisible('[data-drop-js]'), true, 'the drop zone says a file can be dropped');

  // A file dropped on the drop zone is chosen and previewed.
  const bytes = png(300, 200).toString('base64');
  await page.evaluate((b64) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], 'havn.png', { type: 'image/png' }));
    const zone = document.querySelector('[data-drop-zone]');
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, bytes);
  await page.waitForSelector('[data-preview]:not([hidden])');
  assert.equal(await page.evaluate(() => document.querySelector('#file').files.length), 1);
  assert.match(await page.getAttribute('[data-preview-image]', 'src'), /^blob:/);
  await page.waitForFunction(() => document.querySelector('[data-preview-image]').naturalWidth === 300);

  // A click on the preview sets the focal point.
  const box = await page.locator('[data-preview-image]').boundingBox();
  await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.75);
  const x = Number(await page.inputValue('#focal_x'));
  const y = Number(await page.inputValue('#focal_y'));
  assert.ok(Math.abs(x - 250) <= 10, `focal x ${x}`);
  assert.ok(Math.abs(y - 750) <= 10, `focal y ${y}`);
  assert.equal(await page.isVisible('[data-focal-marker]'), true);

  await page.fill('#alt', 'Havnen i Vesterfjord med to fiskekuttere');
  await follow(page, 'form[data-media-upload] button[type=submit]');
  assert.match(page.url(), /\/admin\/medier\/\d+\?uploadet=1$/);
  const edit = new URL(page.url()).pathname;
  assert.equal((await page.textContent('.notice')).trim(), 'Billedet er uploadet.');
  assert.ok(Math.abs(Number(await page.inputValue('#focal_x')) - 250) <= 10);
  await noViolations(page, 'media-edit');

  // The file's page: a click on the image moves the focal point too.
  const image = await page.locator('[data-focal-image] img').boundingBox();
  await page.mouse.click(image.x + image.width * 0.75, image.y + image.height * 0.5);
  assert.ok(Math.abs(Number(await page.inputValue('#focal_x')) - 750) <= 20);
  assert.ok(Math.abs(Number(await page.inputValue('#focal_y')) - 500) <= 50);
  await follow(page, 'form[data-media-edit] button[type=submit]');
  assert.equal((await page.textContent('.notice')).trim(), 'Billedet er gemt.');

  await page.goto(`${env.server.base}/admin/medier`);
  assert.equal(await page.locator(`tbody tr a[href="${edit}"]`).count(), 1, 'the upload is listed');
  await noViolations(page, 'media-library');
  await page.goto(`${env.server.base}/admin/medier/utilgaengelige`);
  await noViolations(page, 'media-inaccessible');

  // An upload refused: the errors page has no violations either.
  await page.goto(`${env.server.base}/admin/medier/ny`);
  await page.setInputFiles('#file', { name: 'streg.png', mimeType: 'image/png', buffer: png(40, 20) });
  await follow(page, 'form[data-media-upload] button[type=submit]');
  assert.equal(await page.isVisible('#alt-fejl'), true);
  await noViolations(page, 'media-upload-errors');
  await context.close();
});

test('on a phone: the library is cards and nothing scrolls sideways', async () => {
  const context = await env.browser.newContext({ bypassCSP: true, viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await signIn(page, env.server.base);
  for (const path of ['/admin/medier', '/admin/medier/ny', '/admin/medier/utilgaengelige']) {
    await page.goto(env.server.base + path);
    await noViolations(page, `${path} at 320`);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= 320, `${path} is ${scroll}px wide at 320px`);
  }
  await page.goto(`${env.server.base}/admin/medier`);
  assert.equal(await page.$eval('tbody tr', (tr) => getComputedStyle(tr).display), 'block');
  await screenshot(page, 'admin-medier-telefon');
  await context.close();
});

test('without JavaScript: a plain file input, errors per field, the file chosen again', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, env.server.base);
  await page.goto(`${env.server.base}/admin/medier/ny`);
  assert.equal(await page.isVisible('[data-drop-js]'), false);
  const file = { name: 'borgmester.png', mimeType: 'image/png', buffer: png(120, 80) };
  await page.setInputFiles('#file', file);
  await page.fill('#title', 'Borgmesteren');
  await follow(page, 'form[data-media-upload] button[type=submit]');
  assert.match(await page.textContent('#alt-fejl'), /^Skriv en alternativ tekst/);
  assert.equal(await page.inputValue('#title'), 'Borgmesteren');
  assert.match(await page.textContent('.error-summary'), /Vælg filen igen/);

  await page.setInputFiles('#file', file);
  await page.fill('#alt', 'Borgmester Anne Holm klipper snoren');
  await page.fill('#focal_x', '300');
  await page.fill('#focal_y', '400');
  await follow(page, 'form[data-media-upload] button[type=submit]');
  assert.equal((await page.textContent('.notice')).trim(), 'Billedet er uploadet.');
  assert.equal(await page.inputValue('#focal_x'), '300');
  await page.goto(`${env.server.base}/admin/medier`);
  assert.ok((await page.locator('code.media-snippet').allTextContents()).some((s) => /^!\[\]\(media:\d+\)$/.test(s)));
  await context.close();
});
