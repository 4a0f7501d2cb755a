/**
 * The voice API's wire vocabulary (Socket.IO namespace `/voice`, and the error codes every transport shares):
 * zod schemas with their inferred types. Plain TypeScript and zod only — no Nest, no Node APIs — so servers,
 * Node clients and the browser pages can all import it.
 */
export * from './acks';
export * from './client-payloads';
export * from './error-codes';
export * from './events';
export * from './recognition-options';
export * from './server-events';
