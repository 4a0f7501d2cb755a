import { IncomingMessage, ServerResponse } from 'node:http';
import { EMULATOR_VOICES } from '../synthesis/emulator-voices';
import { EmulatorStats } from './emulator-stats';
import { FaultSettings, FaultSettingsError } from './fault-settings';

/** What the HTTP control plane can do to the emulator. */
export interface ControlPlaneApi {
  stats(): EmulatorStats;
  faults(): FaultSettings;
  /** Validates and replaces the fault settings; throws {@link FaultSettingsError}. */
  replaceFaults(body: unknown): FaultSettings;
  reset(): void;
  /** Whether the request carries the key the `requireKey` fault asks for (always true without that fault). */
  keyAccepted(req: IncomingMessage): boolean;
}

/** Where the SDK's `SpeechSynthesizer.getVoicesAsync()` asks for the voice list (with `SpeechConfig.fromHost`). */
export const VOICE_LIST_PATH = '/cognitiveservices/voices/list';

const MAX_BODY_BYTES = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `Body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === '') return {}; // every field is optional: an empty body means "no faults"
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new HttpError(400, `Body is not valid JSON: ${(e as Error).message}`);
  }
}

const ROUTES: Record<string, string[]> = {
  '/emulator/stats': ['GET'],
  '/emulator/faults': ['GET', 'POST'],
  '/emulator/reset': ['POST'],
  [VOICE_LIST_PATH]: ['GET'],
};

/** Paths that only speak websocket: plain HTTP there gets 426, not 404. */
const WEBSOCKET_PATH =
  /^\/(tts\/cognitiveservices\/websocket\/v1|speech\/recognition\/|stt\/speech\/universal\/)/i;

/**
 * `GET /emulator/stats`, `POST /emulator/faults` (body replaces the settings; answered with the settings now
 * in force; `GET` reads them), `POST /emulator/reset` (answered with the stats after the reset), and the
 * service's `GET /cognitiveservices/voices/list` (every voice the emulator speaks; 401 without the key the
 * `requireKey` fault asks for). Errors are JSON `{ "error": message }`: 400 bad JSON or fields, 404 unknown
 * route, 405 wrong method, 413 body too big.
 */
export async function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  api: ControlPlaneApi,
): Promise<void> {
  try {
    const path = new URL(req.url ?? '/', 'http://emulator').pathname.replace(/\/+$/, '') || '/';
    const methods = ROUTES[path];
    if (!methods) {
      if (WEBSOCKET_PATH.test(path))
        throw new HttpError(426, 'This path speaks the Speech websocket protocol only');
      throw new HttpError(404, `No route ${req.method ?? 'GET'} ${path}`, { routes: Object.keys(ROUTES) });
    }
    const method = (req.method ?? 'GET').toUpperCase();
    if (!methods.includes(method)) {
      res.setHeader('Allow', methods.join(', '));
      throw new HttpError(405, `${method} is not allowed on ${path}; use ${methods.join(' or ')}`);
    }
    if (path === VOICE_LIST_PATH) {
      if (!api.keyAccepted(req)) throw new HttpError(401, 'Access denied due to invalid subscription key');
      return sendJson(res, 200, EMULATOR_VOICES);
    }
    if (path === '/emulator/stats') return sendJson(res, 200, api.stats());
    if (path === '/emulator/faults' && method === 'GET') return sendJson(res, 200, api.faults());
    if (path === '/emulator/faults') {
      const body = await readJson(req);
      try {
        return sendJson(res, 200, api.replaceFaults(body));
      } catch (e) {
        if (e instanceof FaultSettingsError) throw new HttpError(400, e.message, { problems: e.problems });
        throw e;
      }
    }
    api.reset();
    return sendJson(res, 200, api.stats());
  } catch (e) {
    if (res.headersSent) return;
    if (e instanceof HttpError) return sendJson(res, e.status, { error: e.message, ...e.details });
    sendJson(res, 500, { error: 'Internal emulator error' });
  }
}
