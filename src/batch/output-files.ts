import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';

/** Temporary files are hidden and end like this; a run that was killed leaves them behind and the next removes them. */
const PART_SUFFIX = '.part';

/** Where each item's audio goes: `<out>/<id>.<extension>`. */
export class OutputFiles {
  constructor(
    readonly dir: string,
    private readonly extension: string,
  ) {}

  pathOf(id: string): string {
    return join(this.dir, `${id}.${this.extension}`);
  }

  /** Creates the directory and removes temporary files a killed run left behind. */
  async prepare(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const name of await readdir(this.dir)) {
      if (name.startsWith('.') && name.endsWith(PART_SUFFIX))
        await unlink(join(this.dir, name)).catch(() => undefined);
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
    const temp = join(this.dir, `.${id}.${this.extension}.${randomBytes(4).toString('hex')}${PART_SUFFIX}`);
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
