// Renders glaunch.svg into the PNG sizes electron-builder wants on Linux (NxN.png), a Windows
// .ico and a macOS .icns (both simply wrap PNG data, which every current OS accepts).
// Run after editing the SVG: `node assets/icons/render-icons.mjs` (needs Debian's chromium).
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const svg = readFileSync(`${dir}/glaunch.svg`, 'utf8');
const sizes = [16, 32, 48, 64, 128, 256, 512];
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const png = {};
for (const size of sizes) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('width="512" height="512"', `width="${size}" height="${size}"`)}</body></html>`,
  );
  png[size] = await page.screenshot({
    omitBackground: true,
    clip: { x: 0, y: 0, width: size, height: size },
  });
  writeFileSync(`${dir}/${size}x${size}.png`, png[size]);
  await page.close();
}
await browser.close();

// ICO: header + directory of PNG entries (Vista+ reads PNG-compressed icons).
const icoSizes = [16, 32, 48, 256];
const header = Buffer.alloc(6 + 16 * icoSizes.length);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(icoSizes.length, 4);
let offset = header.length;
icoSizes.forEach((s, i) => {
  const e = 6 + i * 16;
  header.writeUInt8(s === 256 ? 0 : s, e);
  header.writeUInt8(s === 256 ? 0 : s, e + 1);
  header.writeUInt16LE(1, e + 4);
  header.writeUInt16LE(32, e + 6);
  header.writeUInt32LE(png[s].length, e + 8);
  header.writeUInt32LE(offset, e + 12);
  offset += png[s].length;
});
writeFileSync(`${dir}/glaunch.ico`, Buffer.concat([header, ...icoSizes.map((s) => png[s])]));

// ICNS: 'icns' + length, then typed PNG chunks (ic07 128, ic08 256, ic09 512).
const chunks = [
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
].map(([type, s]) => {
  const h = Buffer.alloc(8);
  h.write(type, 0, 'ascii');
  h.writeUInt32BE(png[s].length + 8, 4);
  return Buffer.concat([h, png[s]]);
});
const body = Buffer.concat(chunks);
const icnsHeader = Buffer.alloc(8);
icnsHeader.write('icns', 0, 'ascii');
icnsHeader.writeUInt32BE(body.length + 8, 4);
writeFileSync(`${dir}/glaunch.icns`, Buffer.concat([icnsHeader, body]));
console.log('icons written to', dir);
