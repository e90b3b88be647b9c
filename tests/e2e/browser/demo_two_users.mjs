// Two people chatting on the demo page in headless Chromium (Debian's), driven by playwright-core.
//
//   DEMO_URL=https://127.0.0.1:4003/ CHROMIUM=/usr/bin/chromium TRUSTED_SPKI=<base64 sha256> \
//   AVATAR_IMAGE=avatar.png PHOTO_IMAGE=photo.png \
//   SCREENSHOT_DIR=.local/demo-browser node tests/e2e/browser/demo_two_users.mjs
//
// AVATAR_IMAGE and PHOTO_IMAGE are PNG files: alice sets the first as her avatar and sends the
// second, each through the page's own presigned POST to the emulator's S3.
// The browser trusts the emulator's certificate through --ignore-certificate-errors-spki-list
// (the key the emulator's CA signed), not by ignoring certificate errors. Waits are for what
// the page shows; every wait has a generous bound (STEP_TIMEOUT_MS) so a hang becomes a failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const STEP_TIMEOUT_MS = Number(process.env.STEP_TIMEOUT_MS || 30000);
const PASSWORD = process.env.DEMO_PASSWORD || 'ChatDemo-2026!';
const screenshots = process.env.SCREENSHOT_DIR || '.local/demo-browser';
const room = `browser ${Math.random().toString(36).slice(2, 8)}`;
const text = `hello from bob ${Date.now()}`;
const photoText = `a photo from alice ${Date.now()}`;
const fakeText = `not really a picture ${Date.now()}`;
const NOT_A_PNG = { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('MZ this is no image at all') };

function step(message) {
  console.log(`- ${message}`);
}

// The size of a loaded <img> inside the message holding `text`, once it has loaded; null
// until then. `selector` is relative to the message item.
function loadedImage(page, text, selector) {
  return page
    .waitForFunction(
      ([wanted, inner]) => {
        const item = [...document.querySelectorAll('#messages .message')].find((m) =>
          m.querySelector('.content')?.textContent.includes(wanted),
        );
        const image = item?.querySelector(inner);
        return image && image.complete && image.naturalWidth > 0
          ? `${image.naturalWidth}x${image.naturalHeight}`
          : null;
      },
      [text, selector],
    )
    .then((handle) => handle.jsonValue());
}

async function signIn(page, email) {
  await page.goto(process.env.DEMO_URL);
  await page.locator('body[data-ready="true"]').waitFor();
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('#sign-in-submit');
  await page.locator('#chat:not([hidden])').waitFor();
  step(`${email} signed in`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  chromiumSandbox: false,
  args: [
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--ignore-certificate-errors-spki-list=${process.env.TRUSTED_SPKI}`,
  ],
});
const problems = [];
let pages = [];
// Requests each page has sent and not yet seen answered, reported when a step fails:
// a wait that times out says what the page was still waiting for.
const inFlight = new Map();
const failedRequests = [];

function describe(request) {
  let field = '';
  try {
    field = /\{\s*(\w+)/.exec(JSON.parse(request.postData() || '{}').query || '')?.[1] || '';
  } catch {
    // not a GraphQL request
  }
  return `${request.method()} ${request.url().split('?')[0]}${field ? ` (${field})` : ''}`;
}
try {
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  pages = await Promise.all(contexts.map((context) => context.newPage()));
  const [alice, bob] = pages;
  for (const [name, page] of [['alice', alice], ['bob', bob]]) {
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.on('pageerror', (error) => problems.push(`${name}: ${error.message}`));
    const open = new Map();
    inFlight.set(name, open);
    page.on('request', (request) => open.set(request, Date.now()));
    page.on('requestfinished', (request) => open.delete(request));
    page.on('requestfailed', (request) => {
      open.delete(request);
      failedRequests.push(`${name} request failed: ${describe(request)}: ${request.failure()?.errorText}`);
    });
    page.on('console', (message) => {
      if (['error', 'warning'].includes(message.type())) {
        problems.push(`${name} console ${message.type()}: ${message.text()}`);
      }
    });
  }

  await signIn(alice, 'alice@example.com');
  await alice.fill('#new-room-name', room);
  await alice.click('#new-room button[type="submit"]');
  await alice.locator('#room-name', { hasText: room }).waitFor();
  await alice.locator('#room[data-live="true"][data-history="loaded"]').waitFor();
  step(`alice created "${room}" and is live in it`);

  await signIn(bob, 'bob@example.com');
  await bob.locator('#public-rooms li', { hasText: room }).locator('button.join').click();
  await bob.locator('#room-name', { hasText: room }).waitFor();
  await bob.locator('#room[data-live="true"][data-history="loaded"]').waitFor();
  step(`bob joined "${room}" and is live in it`);

  await bob.fill('#message', text);
  await alice.locator('#typing', { hasText: 'is typing' }).waitFor();
  step(`alice sees: ${await alice.locator('#typing').textContent()}`);

  await bob.click('#send');
  const arrived = alice.locator('#messages .message', { hasText: text });
  await arrived.waitFor();
  step(`alice received bob's message: ${await arrived.locator('.content').textContent()}`);
  await alice.locator('#typing:empty').waitFor();
  step('the typing indicator cleared with the message');

  await arrived.locator('button.reaction[data-emoji="👍"]').click();
  await bob.locator('#messages .message', { hasText: text }).locator('button.reaction', { hasText: '👍 1' }).waitFor();
  step("bob sees alice's 👍 on his message");

  await alice.setInputFiles('#avatar-file', process.env.AVATAR_IMAGE);
  const mine = await alice
    .waitForFunction(() => {
      const image = document.querySelector('#my-avatar img');
      return image && image.complete && image.naturalWidth > 0 ? image.naturalWidth : null;
    })
    .then((handle) => handle.jsonValue());
  step(`alice set her avatar through the page (its thumbnail is ${mine} pixels wide)`);
  const initialsShown = await arrived.locator('.avatar.initials').textContent();
  step(`alice sees bob's initials beside his message: ${initialsShown}`);

  await alice.setInputFiles('#attachment-file', process.env.PHOTO_IMAGE);
  await alice.fill('#message', photoText);
  await alice.click('#send');
  const firstSeen = await alice
    .locator('#messages .message', { hasText: photoText })
    .locator('.attachment')
    .getAttribute('data-status');
  step(`alice sent a photo; her page first showed it ${firstSeen}`);
  const avatarSize = await loadedImage(bob, photoText, '.avatar img');
  step(`bob sees alice's avatar beside her message (${avatarSize})`);
  const thumbnailSize = await loadedImage(bob, photoText, '.attachment[data-status="READY"] img.thumbnail');
  step(`bob sees alice's photo READY as a ${thumbnailSize} thumbnail`);

  // The file check races the send: when it finishes first the send is refused with the
  // check's reason; when the send claims the upload first, the message goes out and its
  // attachment turns REJECTED for everyone. Either way the fake never shows as an image.
  await alice.setInputFiles('#attachment-file', NOT_A_PNG);
  await alice.fill('#message', fakeText);
  await alice.click('#send');
  const rejected = bob
    .locator('#messages .message', { hasText: fakeText })
    .locator('.attachment[data-status="REJECTED"] .badge.rejected');
  const refused = alice.locator('#status', { hasText: 'was rejected: declared image/png, but the content is' });
  const outcome = await Promise.any([
    rejected.waitFor().then(() => 'rejected'),
    refused.waitFor().then(() => 'refused'),
  ]).catch((error) => {
    throw error.errors?.[0] ?? error;
  });
  if (outcome === 'refused') {
    step(`alice's send of the fake image was refused: ${await refused.textContent()}`);
  } else {
    step(`bob sees the fake image ${await rejected.textContent()}: ${await rejected.getAttribute('title')}`);
  }

  await bob.reload();
  await bob.locator('#chat:not([hidden])').waitFor();
  await bob.locator('#my-rooms li', { hasText: room }).locator('a').click();
  await bob.locator('#messages .message', { hasText: text }).waitFor();
  step('after a reload bob is still signed in and sees the history');
  const again = await loadedImage(bob, photoText, '.attachment[data-status="READY"] img.thumbnail');
  step(`the history shows alice's photo again (${again}) with her avatar (${await loadedImage(bob, photoText, '.avatar img')})`);
} catch (error) {
  problems.unshift(`FAILED: ${error.message}`);
  problems.push(...failedRequests);
  for (const [name, open] of inFlight) {
    for (const [request, since] of open) {
      problems.push(`${name} still waiting ${Date.now() - since} ms for ${describe(request)}`);
    }
  }
  for (const [index, page] of pages.entries()) {
    const seen = await page
      .evaluate(() => ({
        status: document.getElementById('status').textContent,
        room: { ...document.getElementById('room').dataset },
        rejected: [...document.querySelectorAll('.attachment .badge.rejected')].map((badge) => badge.title),
      }))
      .catch((e) => String(e));
    problems.push(`${index === 0 ? 'alice' : 'bob'} page state: ${JSON.stringify(seen)}`);
  }
} finally {
  mkdirSync(screenshots, { recursive: true });
  for (const [index, page] of pages.entries()) {
    const file = join(screenshots, `demo-${index === 0 ? 'alice' : 'bob'}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    console.log(`screenshot: ${file}`);
  }
  await browser.close();
}
const fatal = problems.filter((p) => p.startsWith('FAILED') || p.includes(': Uncaught') || !p.includes(' console '));
for (const problem of problems) console.error(problem);
if (fatal.length) process.exit(1);
console.log('demo page test passed');
