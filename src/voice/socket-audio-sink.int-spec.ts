import { expect } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { AllocationTier } from '../pools/allocation-tier';
import type { SynthesisResult } from '../synthesis/audio-sink';
import { SocketAnswers } from './socket-answers';
import { SocketAudioSink } from './socket-audio-sink';
import { VoiceMetrics } from './voice-metrics';
import { resolveVoiceSettings } from './voice-options';

/**
 * SocketAudioSink over a real Socket.IO server and client: what the client sees when the upstream's chunks come in
 * a burst, or around word events and the ack (audio at its own pace: coalesced-audio.spec.ts, with a clock the test
 * drives).
 */
describe('SocketAudioSink (real Socket.IO)', () => {
  let server: Server;
  let url: string;
  let client: ClientSocket;
  let serverSocket: Socket;
  /** What the client received, in order. */
  let received: Array<{ event: string; seq?: number; bytes?: number[]; word?: string }>;

  const answers = new SocketAnswers(
    resolveVoiceSettings({ corsOrigins: [], sessionResumeGraceMs: 0 }),
    new VoiceMetrics(),
  );
  const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const completed = (bytes: number): SynthesisResult => ({
    kind: 'completed',
    tier: AllocationTier.WARM,
    requestId: 'r1',
    firstByteMs: 1,
    totalMs: 2,
    bytes,
  });
  /** Resolves once the client has seen `count` events (bounded by Jest's timeout). */
  const until = async (count: number): Promise<void> => {
    while (received.length < count) await nextTurn();
  };

  beforeAll(async () => {
    const http = createServer();
    server = new Server(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => void server.close(() => resolve())));

  beforeEach(async () => {
    received = [];
    const connected = new Promise<Socket>((resolve) => server.once('connection', resolve));
    client = io(url, { transports: ['websocket'], forceNew: true });
    client.on('tts.audio', (m: { seq: number; audio: Buffer }) =>
      received.push({ event: 'audio', seq: m.seq, bytes: [...m.audio] }),
    );
    client.on('tts.word', (m: { text: string }) => received.push({ event: 'word', word: m.text }));
    client.on('ack', () => received.push({ event: 'ack' }));
    serverSocket = await connected;
  });
  afterEach(() => {
    client.close();
  });

  const sink = (): SocketAudioSink =>
    new SocketAudioSink(serverSocket, 'r1', (ack) => serverSocket.emit('ack', ack), answers);

  it('sends the first chunk of a burst at once, alone, and the rest of the burst as one event', async () => {
    const s = sink();
    s.emit(Buffer.from([1, 2]), 0);
    s.emit(Buffer.from([3]), 1);
    s.emit(Buffer.from([4, 5]), 2);
    // Only the first chunk has left; the others wait for the window to close (and count as not yet sent).
    expect(s.bufferedBytes()).toBeGreaterThanOrEqual(3);
    await until(2);
    expect(received).toEqual([
      { event: 'audio', seq: 0, bytes: [1, 2] },
      { event: 'audio', seq: 1, bytes: [3, 4, 5] },
    ]);
  });

  it('keeps word events and the ack in their place: audio waiting is sent before them', async () => {
    const s = sink();
    s.emit(Buffer.from([1]), 0);
    s.emit(Buffer.from([2]), 1);
    s.word({ text: 'hello', offsetMs: 0, durationMs: 100, textOffset: 0 });
    s.emit(Buffer.from([3]), 2);
    s.reply(completed(3));
    await until(5);
    expect(received).toEqual([
      { event: 'audio', seq: 0, bytes: [1] },
      { event: 'audio', seq: 1, bytes: [2] },
      { event: 'word', word: 'hello' },
      { event: 'audio', seq: 2, bytes: [3] },
      { event: 'ack' },
    ]);
  });

  it('sends the audio still waiting the moment the request is stopped, before the stop can be answered', async () => {
    const s = sink();
    s.emit(Buffer.from([1]), 0);
    s.emit(Buffer.from([2, 3]), 1);
    s.stopped();
    serverSocket.emit('ack', { stopped: true }); // what tts.cancel answers right after
    await until(3);
    expect(received).toEqual([
      { event: 'audio', seq: 0, bytes: [1] },
      { event: 'audio', seq: 1, bytes: [2, 3] },
      { event: 'ack' },
    ]);
    expect(s.bufferedBytes()).toBe(0);
  });
});
