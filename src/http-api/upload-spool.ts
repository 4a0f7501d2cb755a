import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ByteBudget } from '../recognition/byte-budget';
import { HttpApiError } from './http-api-error';
import type { UploadMemoryBudget } from './upload-memory-budget';

/**
 * An upload held until it can be used (an OpenAI form whose language may still follow the file): in memory while
 * the process-wide budget lasts, the rest appended to a temporary file (owner-only) in `directory`. Read back once
 * in order with `chunks()`; `dispose()` gives the memory back and removes the file, and must always be called.
 */
export class UploadSpool {
  private readonly memory: Buffer[] = [];
  private memoryBytes = 0;
  private diskBytes = 0;
  private file: { path: string; handle: FileHandle } | null = null;
  private disposed = false;

  constructor(
    private readonly budget: UploadMemoryBudget,
    /** HTTP_UPLOAD_SPOOL: what all spool files together may hold (a pod's /tmp has a size limit too). */
    private readonly diskBudget: ByteBudget,
    private readonly directory: string,
  ) {}

  /** Bytes held in memory by this upload. */
  get bytesInMemory(): number {
    return this.memoryBytes;
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.disposed) throw new Error('the upload spool is disposed');
    // Once anything went to the file, everything after it does too: the order is memory first, then the file.
    if (this.file === null && this.budget.tryTake(chunk.length)) {
      this.memory.push(chunk);
      this.memoryBytes += chunk.length;
      return;
    }
    if (!this.diskBudget.tryTake(chunk.length)) {
      throw new HttpApiError(
        'POOL_EXHAUSTED',
        'too many uploads are held right now; retry later, or send the language field before the file',
        { status: 503, retryAfterSeconds: 5 },
      );
    }
    this.diskBytes += chunk.length;
    try {
      const file = await this.openFile();
      await file.handle.write(chunk);
    } catch (error) {
      if (this.disposed) throw error;
      // A full or unwritable temporary directory is the service's limit, not the client's mistake.
      throw new HttpApiError(
        'POOL_EXHAUSTED',
        'no room to hold the upload right now; retry later, or send the language field before the file',
        { status: 503, retryAfterSeconds: 5, cause: error },
      );
    }
  }

  /** What was written, in order. */
  async *chunks(): AsyncGenerator<Buffer> {
    yield* this.memory;
    if (this.file === null) return;
    for await (const chunk of createReadStream(this.file.path, { highWaterMark: 64 * 1024 })) {
      yield chunk as Buffer;
    }
  }

  /** Gives the memory back and removes the file; idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.budget.giveBack(this.memoryBytes);
    this.diskBudget.giveBack(this.diskBytes);
    this.diskBytes = 0;
    this.memory.length = 0;
    this.memoryBytes = 0;
    const file = this.file;
    this.file = null;
    if (file === null) return;
    await file.handle.close().catch(() => undefined);
    await rm(file.path, { force: true });
  }

  private async openFile(): Promise<{ path: string; handle: FileHandle }> {
    if (this.file !== null) return this.file;
    const path = join(this.directory, `warmline-upload-${randomUUID()}`);
    // 'wx': never an existing file (or a planted link); 0o600: nobody else reads the audio.
    const handle = await open(path, 'wx', 0o600);
    if (this.disposed) {
      // Disposed while the file was being opened: nothing may stay behind.
      await handle.close().catch(() => undefined);
      await rm(path, { force: true });
      throw new Error('the upload spool is disposed');
    }
    this.file = { path, handle };
    return this.file;
  }
}
