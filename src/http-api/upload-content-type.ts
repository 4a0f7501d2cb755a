import { STT_SAMPLE_RATES, type SttSampleRate } from '../protocol/client-payloads';
import { invalidRequest, unsupportedMediaType } from './http-api-error';

/** How an STT upload is encoded: a WAV file (format in its header) or raw 16-bit little-endian mono PCM. */
export type UploadEncoding = { kind: 'wav' } | { kind: 'pcm'; sampleRate: SttSampleRate };

const WAV_TYPES = new Set(['audio/wav', 'audio/wave', 'audio/x-wav', 'audio/vnd.wave']);
/** Raw PCM; `audio/L16` is named so by convention here, with little-endian samples like the Socket.IO API. */
const PCM_TYPES = new Set(['audio/l16', 'audio/pcm']);
const DEFAULT_PCM_RATE: SttSampleRate = 16_000;

export function isSttSampleRate(rate: number): rate is SttSampleRate {
  return (STT_SAMPLE_RATES as readonly number[]).includes(rate);
}

/** Parses `Content-Type` of an STT upload (`audio/wav`, or `audio/L16;rate=16000` with 8/16/24/48 kHz). */
export function parseUploadContentType(header: string | undefined): UploadEncoding {
  const [type = '', ...parameters] = (header ?? '').split(';').map((part) => part.trim());
  const mediaType = type.toLowerCase();
  if (WAV_TYPES.has(mediaType)) return { kind: 'wav' };
  if (!PCM_TYPES.has(mediaType)) {
    throw unsupportedMediaType(
      `Content-Type must be audio/wav or audio/L16;rate=<8000|16000|24000|48000>, not "${(header ?? '').slice(0, 80)}"`,
    );
  }
  const params = new Map(
    parameters.map((p) => {
      const eq = p.indexOf('=');
      return [
        p.slice(0, eq).trim().toLowerCase(),
        p
          .slice(eq + 1)
          .trim()
          .replace(/^"|"$/g, ''),
      ] as const;
    }),
  );
  const channels = params.get('channels');
  if (channels !== undefined && channels !== '1') {
    throw invalidRequest(`only mono audio is accepted (channels=${channels.slice(0, 8)})`);
  }
  const rateParam = params.get('rate');
  if (rateParam === undefined) return { kind: 'pcm', sampleRate: DEFAULT_PCM_RATE };
  const rate = Number(rateParam);
  if (!isSttSampleRate(rate)) {
    throw invalidRequest(
      `rate=${rateParam.slice(0, 12)} is not supported; use ${STT_SAMPLE_RATES.join(', ')}`,
    );
  }
  return { kind: 'pcm', sampleRate: rate };
}
