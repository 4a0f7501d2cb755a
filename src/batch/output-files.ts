import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';

/**
 * Temporary files: `.warmline-batch.<id>.<extension>.<8 hex>.part`. A run that was killed leaves them behind and
 * the next removes them, and only them: other hidden `.part` files in the directory (a browser's download, another
 * tool's) are not ours to delete.
 */
const PART_PREFIX = '.warmline-batch.';
const PART_SUFFIX = '.part';
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where each item's audio goes: `<out>/<id>.<extension>`. */
export class OutputFiles {
  constructor(
    readonly dir: string,
    private readonly extension: string,
  ) {}

  pathOf(id: string): string {
    return join(this.dir, `${id}.${this.extension}`);
  }

  /** Creates the directory and removes the temporary files a killed run of these `ids` left behind. */
  async prepare(ids: ReadonlySet<string>): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const ours = new RegExp(
      `^${escapeRegExp(PART_PREFIX)}(.+)\\.${escapeRegExp(this.extension)}\\.[0-9a-f]{8}${escapeRegExp(PART_SUFFIX)}$`,
    );
    for (const name of await readdir(this.dir)) {
      const id = ours.exec(name)?.[1];
      if (id !== undefined && ids.has(id)) await unlink(join(this.dir, name)).catch(() => undefined);
    }
  }

  /** True when the item's file exists: files only ever appear complete (renamed into place). */
  async isComplete(id: string): Promise<boolean> {
    return access(this.pathOf(id)).then(
      () => true,
      () => false,
    );
  }

  /** A file written under a temporary name that takes its real name only on commit(). */
  open(id: string): AtomicFile {
    const temp = join(
      this.dir,
      `${PART_PREFIX}${id}.${this.extension}.${randomBytes(4).toString('hex')}${PART_SUFFIX}`,
    );
    return new AtomicFile(temp, this.pathOf(id));
  }
}

export class AtomicFile {
  readonly stream: Writable;
  private settled = false;

  constructor(
    private readonly temp: string,
    private readonly final: string,
  ) {
    this.stream = createWriteStream(temp, { flags: 'wx' });
  }

  /** Closes the temporary file and renames it into place (atomic within one file system). */
  async commit(): Promise<void> {
    this.settled = true;
    await this.closed();
    await rename(this.temp, this.final);
  }

  /** Closes and deletes the temporary file; safe to call after commit(). */
  async discard(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    this.stream.destroy();
    await this.closed().catch(() => undefined);
    await unlink(this.temp).catch(() => undefined);
  }

  private closed(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.stream.closed) return resolve();
      this.stream.once('close', resolve);
      this.stream.once('error', reject);
      if (!this.stream.writableEnded) this.stream.end();
    });
  }
}
