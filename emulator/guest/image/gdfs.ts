/**
 * GDFS — the Glaunch demo filesystem, and the boot sector the boot ROM reads.
 * Format (documented in emulator/guest/README.md; little-endian, 512-byte sectors):
 *
 *   LBA 0  boot sector: "GDFSBOOT", version, flags (bit 0 bootable), kernel LBA/bytes,
 *          superblock LBA, command line (128 bytes, NUL-terminated), 0xAA55 at 510.
 *   LBA 1  superblock: "GDFS", version, sector size, directory LBA/sectors, file count,
 *          total sectors, label.
 *   LBA 2… directory: 64-byte entries {name[40], lba u64, size u64, mode u32, reserved u32}.
 *   then   file data, each file contiguous from a sector boundary.
 *
 * The sector layout is deliberately trivial so the boot ROM and the kernel (assembler) can
 * read it with a handful of loads. Pure library: no Node APIs.
 */
import { utf8Decode, utf8Encode } from '../../elf/utf8';

export const SECTOR = 512;
export const BOOT_MAGIC = 'GDFSBOOT';
export const SB_MAGIC = 0x53464447; // "GDFS" little-endian
export const VERSION = 1;
export const DIRENT_SIZE = 64;
export const NAME_MAX = 39; // 40 bytes with the terminating NUL
export const CMDLINE_MAX = 127;
export const BOOT_FLAG_BOOTABLE = 1;
export const MODE_EXEC = 1;
export const MODE_KERNEL = 2;

/** Byte offsets inside the boot sector and the superblock (shared with the assembler). */
export const BOOT = {
  magic: 0x00,
  version: 0x08,
  flags: 0x0c,
  kernelLba: 0x10,
  kernelBytes: 0x18,
  superLba: 0x20,
  cmdline: 0x28,
  marker: 0x1fe,
} as const;
export const SUPER = {
  magic: 0x00,
  version: 0x04,
  sectorSize: 0x08,
  dirLba: 0x0c,
  dirSectors: 0x10,
  fileCount: 0x14,
  totalSectors: 0x18,
  label: 0x20,
} as const;
export const DIRENT = { name: 0x00, lba: 0x28, size: 0x30, mode: 0x38 } as const;

export class GdfsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GdfsError';
  }
}

export interface GdfsFile {
  name: string;
  data: Uint8Array;
  mode?: number;
}

export interface GdfsSpec {
  label: string;
  files: GdfsFile[];
  /** Name of the file the boot sector points at (must have MODE_KERNEL or be any file). */
  kernel?: string;
  cmdline?: string;
  /** Minimum image size in bytes (rounded up to a sector); the image is padded with zeros. */
  minBytes?: number;
}

export interface GdfsEntry {
  name: string;
  lba: number;
  size: number;
  mode: number;
}

export interface GdfsImage {
  bootable: boolean;
  kernelLba: number;
  kernelBytes: number;
  cmdline: string;
  label: string;
  totalSectors: number;
  files: GdfsEntry[];
}

function sectors(bytes: number): number {
  return Math.ceil(bytes / SECTOR);
}

function checkName(name: string, where: string): void {
  if (!/^[A-Za-z0-9._-]+$/.test(name))
    throw new GdfsError(`${where}: file name '${name}' may only use A-Z a-z 0-9 . _ -`);
  if (name.length > NAME_MAX)
    throw new GdfsError(`${where}: file name '${name}' is longer than ${NAME_MAX} bytes`);
}

function putAscii(v: DataView, off: number, s: string, max: number): void {
  const b = utf8Encode(s);
  if (b.length > max) throw new GdfsError(`'${s}' is longer than ${max} bytes`);
  for (let i = 0; i < b.length; i++) v.setUint8(off + i, b[i]);
}

function getAscii(b: Uint8Array, off: number, max: number): string {
  let end = off;
  while (end < off + max && b[end] !== 0) end++;
  return utf8Decode(b.subarray(off, end));
}

function setU64(v: DataView, off: number, n: number): void {
  v.setUint32(off, n % 2 ** 32, true);
  v.setUint32(off + 4, Math.floor(n / 2 ** 32), true);
}

function getU64(v: DataView, off: number): number {
  return v.getUint32(off + 4, true) * 2 ** 32 + v.getUint32(off, true);
}

/** Lays out and writes a complete raw disk image. */
export function buildGdfs(spec: GdfsSpec): Uint8Array {
  const seen = new Set<string>();
  spec.files.forEach((f, i) => {
    checkName(f.name, `file ${i + 1}`);
    if (seen.has(f.name)) throw new GdfsError(`file ${i + 1}: duplicate name '${f.name}'`);
    seen.add(f.name);
  });
  if (utf8Encode(spec.label).length > 31)
    throw new GdfsError(`label '${spec.label}' is longer than 31 bytes`);
  const cmdline = spec.cmdline ?? '';
  if (utf8Encode(cmdline).length > CMDLINE_MAX)
    throw new GdfsError(`command line is longer than ${CMDLINE_MAX} bytes`);
  const kernel =
    spec.kernel === undefined ? undefined : spec.files.find((f) => f.name === spec.kernel);
  if (spec.kernel !== undefined && !kernel)
    throw new GdfsError(`kernel file '${spec.kernel}' is not among the files`);
  if (kernel && kernel.data.length === 0)
    throw new GdfsError(`kernel file '${spec.kernel}' is empty`);

  const dirLba = 2;
  const dirSectors = Math.max(1, sectors(spec.files.length * DIRENT_SIZE));
  let next = dirLba + dirSectors;
  const placed = spec.files.map((f) => {
    const lba = next;
    next += sectors(f.data.length);
    return { f, lba };
  });
  const total = Math.max(next, sectors(spec.minBytes ?? 0));
  const img = new Uint8Array(total * SECTOR);
  const v = new DataView(img.buffer);

  putAscii(v, BOOT.magic, BOOT_MAGIC, 8);
  v.setUint32(BOOT.version, VERSION, true);
  const k = kernel ? placed.find((p) => p.f === kernel) : undefined;
  v.setUint32(BOOT.flags, k ? BOOT_FLAG_BOOTABLE : 0, true);
  setU64(v, BOOT.kernelLba, k ? k.lba : 0);
  setU64(v, BOOT.kernelBytes, k ? k.f.data.length : 0);
  setU64(v, BOOT.superLba, 1);
  putAscii(v, BOOT.cmdline, cmdline, CMDLINE_MAX);
  v.setUint16(BOOT.marker, 0xaa55, true);

  const sb = SECTOR;
  v.setUint32(sb + SUPER.magic, SB_MAGIC, true);
  v.setUint32(sb + SUPER.version, VERSION, true);
  v.setUint32(sb + SUPER.sectorSize, SECTOR, true);
  v.setUint32(sb + SUPER.dirLba, dirLba, true);
  v.setUint32(sb + SUPER.dirSectors, dirSectors, true);
  v.setUint32(sb + SUPER.fileCount, spec.files.length, true);
  setU64(v, sb + SUPER.totalSectors, total);
  putAscii(v, sb + SUPER.label, spec.label, 31);

  placed.forEach(({ f, lba }, i) => {
    const e = dirLba * SECTOR + i * DIRENT_SIZE;
    putAscii(v, e + DIRENT.name, f.name, NAME_MAX);
    setU64(v, e + DIRENT.lba, lba);
    setU64(v, e + DIRENT.size, f.data.length);
    v.setUint32(e + DIRENT.mode, (f.mode ?? 0) | (f === kernel ? MODE_KERNEL : 0), true);
    img.set(f.data, lba * SECTOR);
  });
  return img;
}

/** Parses and validates an image; errors name the structure and offset at fault. */
export function readGdfs(img: Uint8Array): GdfsImage {
  if (img.length < 2 * SECTOR || img.length % SECTOR)
    throw new GdfsError(`image size ${img.length} is not a multiple of ${SECTOR} bytes ≥ 1024`);
  const v = new DataView(img.buffer, img.byteOffset, img.byteLength);
  if (getAscii(img, BOOT.magic, 8) !== BOOT_MAGIC)
    throw new GdfsError('boot sector (LBA 0): magic is not "GDFSBOOT"');
  if (v.getUint16(BOOT.marker, true) !== 0xaa55)
    throw new GdfsError('boot sector (LBA 0): marker at offset 510 is not 0xAA55');
  const superLba = getU64(v, BOOT.superLba);
  const sb = superLba * SECTOR;
  if (sb + SECTOR > img.length)
    throw new GdfsError(`superblock LBA ${superLba} is outside the image`);
  if (v.getUint32(sb + SUPER.magic, true) !== SB_MAGIC)
    throw new GdfsError(`superblock (LBA ${superLba}): magic is not "GDFS"`);
  const version = v.getUint32(sb + SUPER.version, true);
  if (version !== VERSION) throw new GdfsError(`superblock: unsupported version ${version}`);
  if (v.getUint32(sb + SUPER.sectorSize, true) !== SECTOR)
    throw new GdfsError(`superblock: sector size is not ${SECTOR}`);
  const totalSectors = getU64(v, sb + SUPER.totalSectors);
  if (totalSectors * SECTOR > img.length)
    throw new GdfsError(
      `superblock: ${totalSectors} sectors, but the image has ${img.length / SECTOR}`,
    );
  const dirLba = v.getUint32(sb + SUPER.dirLba, true);
  const dirSectors = v.getUint32(sb + SUPER.dirSectors, true);
  const count = v.getUint32(sb + SUPER.fileCount, true);
  if (count * DIRENT_SIZE > dirSectors * SECTOR)
    throw new GdfsError(`superblock: ${count} files do not fit ${dirSectors} directory sectors`);
  if ((dirLba + dirSectors) * SECTOR > img.length)
    throw new GdfsError(`superblock: directory (LBA ${dirLba}) is outside the image`);
  const files: GdfsEntry[] = [];
  for (let i = 0; i < count; i++) {
    const e = dirLba * SECTOR + i * DIRENT_SIZE;
    const entry = {
      name: getAscii(img, e + DIRENT.name, NAME_MAX + 1),
      lba: getU64(v, e + DIRENT.lba),
      size: getU64(v, e + DIRENT.size),
      mode: v.getUint32(e + DIRENT.mode, true),
    };
    if (entry.lba * SECTOR + entry.size > img.length)
      throw new GdfsError(`directory entry ${i} ('${entry.name}'): data is outside the image`);
    files.push(entry);
  }
  const flags = v.getUint32(BOOT.flags, true);
  return {
    bootable: (flags & BOOT_FLAG_BOOTABLE) !== 0,
    kernelLba: getU64(v, BOOT.kernelLba),
    kernelBytes: getU64(v, BOOT.kernelBytes),
    cmdline: getAscii(img, BOOT.cmdline, CMDLINE_MAX + 1),
    label: getAscii(img, sb + SUPER.label, 32),
    totalSectors,
    files,
  };
}

/** The bytes of one file of a parsed image. */
export function fileData(img: Uint8Array, e: GdfsEntry): Uint8Array {
  return img.subarray(e.lba * SECTOR, e.lba * SECTOR + e.size);
}
