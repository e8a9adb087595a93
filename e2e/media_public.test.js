// The public side of the media library in a real browser: an article with a
// lead image weighs at most 150 KB in all on a 390 px wide phone, and the
// article and a search that finds a PDF by its text have no axe violations.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const zlib = require('node:zlib');
const { serverAndBrowser, axe, screenshot, apiToken } = require('./helpers');

const env = serverAndBrowser();

/** Everything the article page may transfer on a phone, in bytes. */
const BUDGET = 150 * 1000;

/** A PNG chunk: length, type, data, CRC. */
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/**
 * A photo-like PNG: sky and sea in gradients, a sun, a dark pier, and
 * texture at several scales (as leaves, waves and stones give a photo), so
 * that it stays detailed when scaled down (a seeded generator: every run
 * is the same). A flat drawing would make the budget meaningless.
 */
function photo(width, height) {
  let seed = 20261202;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  // Noise on grids of 3, 9 and 27 pixels, larger features stronger (as in
  // photographs, whose detail weakens with its fineness), added up.
  const layers = [3, 9, 27].map((cell) => {
    const columns = Math.ceil(width / cell) + 1;
    const values = new Float32Array(columns * (Math.ceil(height / cell) + 1));
    for (let i = 0; i < values.length; i++) values[i] = random() - 0.5;
    return { cell, columns, values };
  });
  const texture = (x, y) => layers.reduce((sum, { cell, columns, values }) =>
    sum + values[Math.floor(y / cell) * columns + Math.floor(x / cell)] * cell * 1.5, 0);
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const sea = y > height * 0.55;
      let r = sea ? 20 + (y * 60) / height : 120 + (y * 100) / height;
      let g = sea ? 70 + (y * 50) / height : 160 + (y * 60) / height;
      let b = sea ? 110 + (x * 40) / width : 230 - (y * 40) / height;
      const dx = x - width * 0.7;
      const dy = y - height * 0.3;
      if (dx * dx + dy * dy < (height * 0.08) ** 2) { r = 255; g = 220; b = 120; }
      if (x > width * 0.15 && x < width * 0.45 && y > height * 0.5 && y < height * 0.6) { r = 60; g = 45; b = 35; }
      const grain = texture(x, y) * (sea ? 1 : 0.5) + (random() - 0.5) * 12;
      const at = 1 + x * 3;
      row[at] = Math.max(0, Math.min(255, r + grain));
      row[at + 1] = Math.max(0, Math.min(255, g + grain));
      row[at + 2] = Math.max(0, Math.min(255, b + grain));
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF saying `text`, with a title and a language. */
function pdf(title, text) {
  const content = `BT /F1 14 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R /Lang (da) >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    `<< /Title (${title}) >>`,
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((object, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Uploads a file through the API; returns the stored file as JSON. */
async function upload(token, filename, type, bytes, fields) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), filename);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const response = await fetch(`${env.server.base}/api/v1/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = await response.json();
  assert.equal(response.status, 201, JSON.stringify(body));
  return body;
}

async function createNews(token, article) {
  const response = await fetch(`${env.server.base}/api/v1/news`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(article),
  });
  const body = await response.json();
  assert.equal(response.status, 201, JSON.stringify(body));
  return body;
}

/** The article with a lead image and a PDF, made once for the tests. */
let made;
async function article() {
  if (made) return made;
  const token = apiToken(env.server, 'e2e-media');
  const image = await upload(token, 'havnen.png', 'image/png', photo(2000, 1333), {
    alt: 'Sejlbåde ved den nye badebro i aftensol',
    caption: 'Badebroen ved Vesterfjord Havn åbnede i juni.',
    credit: 'Mette Lund',
  });
  const plan = await upload(token, 'lokalplan_412.pdf', 'application/pdf',
    pdf('Lokalplan 412', 'Bebyggelsesprocenten ved Strandvejen er 30'), { title: 'Lokalplan 412' });
  const news = await createNews(token, {
    title: 'Ny badebro ved havnen',
    lead: 'Havnen har fået en badebro med plads til både svømmere og kajakker.',
    body: `Badebroen er 40 meter lang.\n\nLæs [Lokalplan 412](media:${plan.id}) om området.`,
    news_date: '2026-06-20',
    status: 'published',
    image_id: image.id,
  });
  made = { image, plan, path: `/nyheder/${news.slug}` };
  return made;
}

test('an article with a lead image weighs at most 150 KB on a 390 px phone', async () => {
  const { path } = await article();
  for (const deviceScaleFactor of [1, 2, 3]) {
    const context = await env.browser.newContext({
      viewport: { width: 390, height: 844 }, deviceScaleFactor, isMobile: true, hasTouch: true,
    });
    const page = await context.newPage();
    const requests = [];
    page.on('requestfinished', (request) => requests.push(request));
    const response = await page.goto(env.server.base + path, { waitUntil: 'networkidle' });
    assert.equal(response.status(), 200);
    const lead = page.locator('figure.article__figure img');
    assert.ok(await lead.evaluate((img) => img.complete && img.naturalWidth > 0), 'the lead image loaded');
    let total = 0;
    const lines = [];
    for (const request of requests) {
      const sizes = await request.sizes();
      const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
      total += bytes;
      lines.push(`${bytes} ${request.url().replace(env.server.base, '')}`);
    }
    const chosen = await lead.evaluate((img) => img.currentSrc);
    console.log(`DPR ${deviceScaleFactor}: ${total} bytes in ${requests.length} responses\n  ${lines.join('\n  ')}`);
    assert.ok(chosen.includes('/hel-'), chosen);
    assert.ok(total <= BUDGET, `DPR ${deviceScaleFactor}: ${total} bytes > ${BUDGET}: ${lines.join(', ')}`);
    if (deviceScaleFactor === 3) await screenshot(page, 'media-article-390');
    await context.close();
  }
});

test('the article and a search finding a PDF by its text have no axe violations', async () => {
  const { path, plan } = await article();
  const context = await env.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(env.server.base + path);
  assert.equal(await page.locator('figure.article__figure figcaption').innerText(),
    'Badebroen ved Vesterfjord Havn åbnede i juni. Foto: Mette Lund');
  assert.deepEqual(await axe(page), [], path);

  // The index follows the journal at once on this node; allow it a moment.
  let found = false;
  for (let i = 0; i < 50 && !found; i++) {
    await page.goto(`${env.server.base}/soeg?q=bebyggelsesprocenten`);
    found = (await page.locator('.search-hit').count()) > 0;
    if (!found) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(found, 'the PDF is found by a word inside it');
  const title = await page.locator('.search-hit__title a').first().innerText();
  assert.match(title, /^Lokalplan 412 \(PDF, [\d,]+ (B|kB|MB)\)$/);
  assert.ok((await page.locator('.search-hit__title a').first().getAttribute('href')).endsWith(plan.url));
  assert.deepEqual(await axe(page), [], 'search with a document hit');
  await screenshot(page, 'media-search-document');
  await context.close();
});
