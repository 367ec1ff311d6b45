// Draws media/icons/icon.png (the Marketplace icon) from shapes, so no image tool is needed.
// Run with `node scripts/make-icon.mjs`; the output is committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const pixels = Buffer.alloc(SIZE * SIZE * 4);

const inRoundedRect = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const distanceToSegment = (x, y, [ax, ay], [bx, by]) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
};

const bars = [
  [22, 26, 106, 44],
  [22, 56, 78, 74],
  [22, 86, 62, 104],
];
const check = [
  [72, 94],
  [84, 106],
  [108, 80],
];

for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    // Four samples per pixel for smooth edges.
    let r = 0,
      g = 0,
      b = 0,
      a = 0;
    for (const [dx, dy] of [
      [0.25, 0.25],
      [0.75, 0.25],
      [0.25, 0.75],
      [0.75, 0.75],
    ]) {
      const px = x + dx,
        py = y + dy;
      if (!inRoundedRect(px, py, 0, 0, SIZE, SIZE, 24)) continue;
      let c = [24 + py * 0.2, 42 + py * 0.25, 72 + py * 0.3];
      if (bars.some(([x0, y0, x1, y1]) => inRoundedRect(px, py, x0, y0, x1, y1, 5))) c = [86, 204, 242];
      if (distanceToSegment(px, py, check[0], check[1]) < 6 || distanceToSegment(px, py, check[1], check[2]) < 6) c = [122, 229, 130];
      r += c[0];
      g += c[1];
      b += c[2];
      a += 255;
    }
    const i = (y * SIZE + x) * 4;
    pixels[i] = r / 4;
    pixels[i + 1] = g / 4;
    pixels[i + 2] = b / 4;
    pixels[i + 3] = a / 4;
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) pixels.copy(rows, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows)),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../media/icons/icon.png', import.meta.url), png);
console.log(`media/icons/icon.png: ${png.length} bytes`);
