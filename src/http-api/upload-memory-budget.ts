import { ByteBudget } from '../recognition/byte-budget';

/**
 * The upload bytes the whole process holds in memory (HTTP_UPLOAD_MEMORY): an upload that has to be held before
 * it can be recognized takes its bytes from here while they last and spools the rest to a temporary file, so
 * many slow or unfinished uploads cost disk, not the process's memory limit.
 */
export class UploadMemoryBudget extends ByteBudget {}

/** The bytes all spooled uploads together may hold on disk (HTTP_UPLOAD_SPOOL); beyond it: 503. */
export class UploadSpoolBudget extends ByteBudget {}
