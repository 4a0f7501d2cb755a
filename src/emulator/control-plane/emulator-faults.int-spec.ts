import * as sdk from 'microsoft-cognitiveservices-speech-sdk';
import WebSocket from 'ws';
import { RunningEmulator, startEmulator } from '..';
import {
  cancellation,
  closeClient,
  eventually,
  newSynthesizer,
  recognizeOnce,
  silence,
  speak,
  speechConfig,
  withDeadline,
} from '../../../test/support/emulator/speech-sdk';

const TTS_PATH = '/tts/cognitiveservices/websocket/v1';

/** Opens a raw websocket; resolves with 'open' or the HTTP status of a refused upgrade. */
function rawUpgrade(url: string, headers: Record<string, string> = {}): Promise<number | 'open'> {
  return withDeadline(
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.on('open', () => {
        ws.terminate();
        resolve('open');
      });
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        ws.terminate();
      });
      ws.on('error', (e) => reject(e));
    }),
    10_000,
    `upgrade ${url}`,
  );
}

describe('speech emulator faults, as the SDK sees them', () => {
  let emulator: RunningEmulator;
  const clients: sdk.SpeechSynthesizer[] = [];
  const synthesizer = (key?: string): sdk.SpeechSynthesizer => {
    const s = newSynthesizer(emulator, sdk.SpeechSynthesisOutputFormat.Raw16Khz16BitMonoPcm, key);
    clients.push(s);
    return s;
  };

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map(closeClient));
    await emulator.close();
  });

  it('rejectNext: the upgrade is refused with 429, the synthesis is canceled with "429" in its details; the same synthesizer then works', async () => {
    emulator.setFaults({ rejectNext: 1 });
    const s = synthesizer();
    const refused = await speak(s, 'Refused.');
    expect(refused.reason).toBe(sdk.ResultReason.Canceled);
    const details = cancellation(refused);
    expect(details.ErrorCode).toBe(sdk.CancellationErrorCode.ConnectionFailure);
    expect(details.errorDetails).toContain('429');
    expect((await speak(s, 'Accepted now.')).reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    expect(emulator.stats()).toMatchObject({ rejectedTotal: 1, connectionsTotal: 1 });
  });

  it('rejectStatus chooses the status of rejectNext refusals', async () => {
    emulator.setFaults({ rejectNext: 1, rejectStatus: 503 });
    const refused = await speak(synthesizer(), 'Unavailable.');
    expect(cancellation(refused).errorDetails).toContain('503');
  });

  it('recognition retries a refused upgrade, then cancels with 429 in its details', async () => {
    emulator.setFaults({ rejectNext: 100 });
    const { result } = await recognizeOnce(emulator, [silence(500)]);
    expect(result.reason).toBe(sdk.ResultReason.Canceled);
    const details = sdk.CancellationDetails.fromResult(result);
    expect(details.ErrorCode).toBe(sdk.CancellationErrorCode.ConnectionFailure);
    expect(details.errorDetails).toContain('429');
    expect(emulator.stats().rejectedTotal).toBeGreaterThanOrEqual(5);
  });

  it('dropMidStreamNext on recognition: the SDK silently reconnects and, with all audio already sent, waits until stop (as against the service)', async () => {
    const synth = synthesizer();
    const audio = (await speak(synth, 'Dropped while listening.')).audioData;
    emulator.setFaults({ dropMidStreamNext: 1 });
    const push = sdk.AudioInputStream.createPushStream(sdk.AudioStreamFormat.getWaveFormatPCM(16000, 16, 1));
    for (const chunk of [silence(300), audio, silence(1000)]) push.write(chunk.slice(0));
    push.close();
    const recognizer = new sdk.SpeechRecognizer(
      speechConfig(emulator),
      sdk.AudioConfig.fromStreamInput(push),
    );
    const canceled: string[] = [];
    recognizer.canceled = (_s, e) => canceled.push(e.errorDetails);
    try {
      recognizer.startContinuousRecognitionAsync();
      // synthesis socket + the dropped recognition socket + the SDK's reconnect
      await eventually(
        () => emulator.stats().connectionsTotal === 3 && emulator.stats().recognitions === 2,
        10_000,
        'reconnect',
      );
      const stopped = new Promise<void>((resolve) => (recognizer.sessionStopped = () => resolve()));
      await withDeadline(
        new Promise<void>((resolve) => recognizer.stopContinuousRecognitionAsync(resolve, () => resolve())),
        15_000,
        'stopContinuousRecognitionAsync',
      );
      await withDeadline(stopped, 15_000, 'sessionStopped');
      expect(canceled).toEqual([]); // never reported as canceled: the SDK hides the drop
    } finally {
      await closeClient(recognizer);
    }
  });

  it('maxConnections: an upgrade beyond the cap is refused with 429', async () => {
    emulator.setFaults({ maxConnections: 1 });
    expect((await speak(synthesizer(), 'I hold the only socket.')).reason).toBe(
      sdk.ResultReason.SynthesizingAudioCompleted,
    );
    const refused = await speak(synthesizer(), 'No room for me.');
    expect(refused.reason).toBe(sdk.ResultReason.Canceled);
    expect(cancellation(refused).errorDetails).toContain('429');
    expect(emulator.stats()).toMatchObject({ connectionsOpen: 1, rejectedTotal: 1 });
  });

  it('requireKey: a wrong key gets 401; the key is accepted from the header, the query string or a bearer token', async () => {
    emulator.setFaults({ requireKey: 'secret' });
    const refused = await speak(synthesizer('wrong'), 'Let me in.');
    expect(refused.reason).toBe(sdk.ResultReason.Canceled);
    expect(cancellation(refused).errorDetails).toContain('401');
    expect((await speak(synthesizer('secret'), 'Right key.')).reason).toBe(
      sdk.ResultReason.SynthesizingAudioCompleted,
    );

    const url = `${emulator.url}${TTS_PATH}`;
    expect(await rawUpgrade(url)).toBe(401);
    expect(await rawUpgrade(`${url}?subscription-key=secret`)).toBe('open');
    expect(await rawUpgrade(`${url}?Ocp-Apim-Subscription-Key=secret`)).toBe('open');
    expect(await rawUpgrade(url, { 'Ocp-Apim-Subscription-Key': 'secret' })).toBe('open');
    expect(await rawUpgrade(url, { Authorization: 'Bearer secret' })).toBe('open');
    expect(await rawUpgrade(url, { Authorization: 'Bearer nope' })).toBe(401);
  });

  it('dropMidStreamNext: the turn ends mid-stream (close 1011), the SDK cancels with ConnectionFailure, no hang; the next synthesis reconnects', async () => {
    emulator.setFaults({ dropMidStreamNext: 1 });
    const s = synthesizer();
    let audioBeforeDrop = 0;
    s.synthesizing = (_s, e) => (audioBeforeDrop += e.result.audioData.byteLength);
    const dropped = await speak(s, 'This one is cut off in the middle of its audio.');
    expect(dropped.reason).toBe(sdk.ResultReason.Canceled);
    const details = cancellation(dropped);
    expect(details.ErrorCode).toBe(sdk.CancellationErrorCode.ConnectionFailure);
    expect(details.errorDetails).toContain('1011');
    expect(audioBeforeDrop).toBeGreaterThan(0);
    s.synthesizing = undefined as unknown as typeof s.synthesizing;
    expect((await speak(s, 'Back again.')).reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    expect(emulator.stats()).toMatchObject({ connectionsTotal: 2, syntheses: 2 });
  });

  it('idleTimeoutMs: an idle socket is closed; the next synthesis transparently reconnects', async () => {
    emulator.setFaults({ idleTimeoutMs: 300 });
    const s = synthesizer();
    const connection = sdk.Connection.fromSynthesizer(s);
    let disconnected = 0;
    connection.disconnected = () => disconnected++;
    expect((await speak(s, 'Before the pause.')).reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    await eventually(() => emulator.stats().connectionsOpen === 0, 5_000, 'idle close');
    expect((await speak(s, 'After the pause.')).reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    expect(emulator.stats().connectionsTotal).toBe(2);
    expect(disconnected).toBeGreaterThanOrEqual(1); // the SDK saw the idle close
  });

  it('idleTimeoutMs never closes a socket mid-turn', async () => {
    emulator.setFaults({ idleTimeoutMs: 100, firstByteLatencyMs: 500 });
    const result = await speak(synthesizer(), 'Slow to start, but never cut.');
    expect(result.reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    expect(emulator.stats().connectionsTotal).toBe(1);
  });

  it('connectLatencyMs is charged once per new socket, not per synthesis', async () => {
    const latency = 1200;
    emulator.setFaults({ connectLatencyMs: latency });
    const s = synthesizer();
    const timed = async (text: string): Promise<number> => {
      const started = Date.now();
      expect((await speak(s, text)).reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
      return Date.now() - started;
    };
    const first = await timed('Pays for the connection.');
    const second = await timed('Reuses it.');
    expect(first).toBeGreaterThanOrEqual(latency - 50); // timers may fire a little early
    expect(second).toBeLessThan(first - latency / 2);
    expect(emulator.stats().connectionsTotal).toBe(1);
  });

  it('firstByteLatencyMs delays the first audio of every synthesis', async () => {
    const latency = 400;
    emulator.setFaults({ firstByteLatencyMs: latency });
    const s = synthesizer();
    for (const text of ['One.', 'Two.']) {
      const result = await speak(s, text);
      const firstByte = Number(
        result.properties.getProperty(sdk.PropertyId.SpeechServiceResponse_SynthesisFirstByteLatencyMs),
      );
      expect(firstByte).toBeGreaterThanOrEqual(latency - 50);
    }
  });

  it('a new faults body replaces the old one; reset clears faults and zeroes counters except open sockets', async () => {
    emulator.setFaults({ rejectNext: 5 });
    emulator.setFaults({ firstByteLatencyMs: 0 }); // rejectNext is back to 0
    const s = synthesizer();
    expect((await speak(s, 'Not refused.')).reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    emulator.setFaults({ rejectNext: 1 });
    expect((await speak(synthesizer(), 'Refused.')).reason).toBe(sdk.ResultReason.Canceled);
    expect(emulator.stats()).toMatchObject({
      connectionsOpen: 1,
      connectionsTotal: 1,
      rejectedTotal: 1,
      syntheses: 1,
    });
    emulator.setFaults({ rejectNext: 3 });
    emulator.reset();
    expect(emulator.stats()).toEqual({
      connectionsOpen: 1,
      connectionsTotal: 0,
      connectionsPeak: 1,
      rejectedTotal: 0,
      syntheses: 0,
      recognitions: 0,
    });
    expect((await speak(synthesizer(), 'Faults are gone.')).reason).toBe(
      sdk.ResultReason.SynthesizingAudioCompleted,
    );
    expect(emulator.stats()).toMatchObject({
      connectionsOpen: 2,
      connectionsTotal: 1,
      connectionsPeak: 2,
      syntheses: 1,
    });
  });
  it('realtimeFactor: audio arrives no faster than n times real time (0 = as fast as produced)', async () => {
    const s = synthesizer();
    const text = 'A sentence of about one second.';
    const fast = await speak(s, text);
    const seconds = fast.audioDuration / 10_000_000;
    expect(seconds).toBeGreaterThan(0.8);
    emulator.setFaults({ realtimeFactor: 2 });
    const started = performance.now();
    const paced = await speak(s, text);
    const elapsedMs = performance.now() - started;
    expect(paced.reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    expect(paced.audioData.byteLength).toBe(fast.audioData.byteLength);
    // Loose on purpose: at factor 2 the audio takes at least half its duration (a little less for timers).
    expect(elapsedMs).toBeGreaterThanOrEqual(((seconds * 1000) / 2) * 0.8);
  });
});
