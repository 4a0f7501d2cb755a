import { io } from 'socket.io-client';

export interface RemoteSynthesisRequest {
  url: string;
  token?: string;
  text: string;
  voice?: string;
  format: string;
  timeoutMs: number;
}

export interface RemoteSynthesisResult {
  sessionId: string;
  tier: string;
  firstByteMs: number | null;
  totalMs: number;
  bytes: number;
  audio: Buffer;
  /** Connect + handshake + synthesis, as the client saw it. */
  wallMs: number;
}

/** A failure with the service's error code (or CONNECT / TIMEOUT / PROTOCOL for what happened before it). */
export class RemoteSynthesisError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Ack {
  ok: boolean;
  tier?: string;
  firstByteMs?: number | null;
  totalMs?: number;
  bytes?: number;
  error?: { code: string; message: string };
}

/** Connects to `/voice`, synthesizes once, collects the streamed chunks in order, and disconnects. */
export async function synthesizeRemotely(request: RemoteSynthesisRequest): Promise<RemoteSynthesisResult> {
  const started = performance.now();
  const socket = io(`${request.url}/voice`, {
    auth: request.token === undefined ? {} : { token: request.token },
    transports: ['websocket'],
    reconnection: false,
    timeout: request.timeoutMs,
  });
  try {
    const sessionId = await new Promise<string>((resolve, reject) => {
      socket.once('session.ready', (info: { sessionId: string }) => resolve(info.sessionId));
      socket.once('connect_error', (error: Error & { data?: { message?: string } }) => {
        const detail = error.data?.message === undefined ? '' : ` (${error.data.message})`;
        reject(
          new RemoteSynthesisError(
            'CONNECT',
            `cannot connect to ${request.url}/voice: ${error.message}${detail}`,
          ),
        );
      });
    });
    const requestId = 'cli-1';
    const chunks: Buffer[] = [];
    let expectedSeq = 0;
    let disorder: string | null = null;
    socket.on('tts.audio', (chunk: { requestId: string; seq: number; audio: Buffer }) => {
      if (chunk.requestId !== requestId) return;
      if (chunk.seq !== expectedSeq) disorder ??= `audio chunk ${chunk.seq} arrived, expected ${expectedSeq}`;
      expectedSeq = chunk.seq + 1;
      chunks.push(Buffer.from(chunk.audio));
    });
    let ack: Ack;
    try {
      ack = (await socket.timeout(request.timeoutMs).emitWithAck('tts.synthesize', {
        text: request.text,
        format: request.format,
        requestId,
        ...(request.voice === undefined ? {} : { voice: request.voice }),
      })) as Ack;
    } catch {
      throw new RemoteSynthesisError('TIMEOUT', `no answer within ${request.timeoutMs / 1000} s`);
    }
    if (!ack.ok) {
      throw new RemoteSynthesisError(ack.error?.code ?? 'UNKNOWN', ack.error?.message ?? 'synthesis failed');
    }
    if (disorder !== null) throw new RemoteSynthesisError('PROTOCOL', disorder);
    const audio = Buffer.concat(chunks);
    if (audio.length !== ack.bytes) {
      throw new RemoteSynthesisError(
        'PROTOCOL',
        `received ${audio.length} bytes, the service sent ${ack.bytes}`,
      );
    }
    return {
      sessionId,
      tier: ack.tier ?? 'unknown',
      firstByteMs: ack.firstByteMs ?? null,
      totalMs: ack.totalMs ?? 0,
      bytes: audio.length,
      audio,
      wallMs: performance.now() - started,
    };
  } finally {
    socket.disconnect();
  }
}
