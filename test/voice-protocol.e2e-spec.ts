import type { z } from 'zod';
import type { VoiceSocket } from '../src/client';
import {
  SERVER_EVENTS,
  cancelAckSchema,
  errorEventSchema,
  failedAckSchema,
  sessionDisplacedSchema,
  sessionReadySchema,
  sttFinalSchema,
  sttPartialSchema,
  sttStartedAckSchema,
  sttStoppedAckSchema,
  synthesisCanceledAckSchema,
  synthesisDoneAckSchema,
  streamStartedAckSchema,
  ttsAudioSchema,
  ttsWordSchema,
  type ServerEvent,
} from '../src/protocol';
import {
  once,
  request,
  startVoiceApp,
  synthesize,
  untyped,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

const EVENT_SCHEMAS: Record<Exclude<ServerEvent, 'session.moving'>, z.ZodType> = {
  'session.ready': sessionReadySchema,
  'session.displaced': sessionDisplacedSchema,
  'tts.audio': ttsAudioSchema,
  'tts.word': ttsWordSchema,
  'stt.partial': sttPartialSchema,
  'stt.final': sttFinalSchema,
  error: errorEventSchema,
};

/** Exactly the schema's shape: parsing keeps every field (the server sends nothing the schema does not name). */
function expectExactly(schema: z.ZodType, value: unknown): void {
  const result = schema.safeParse(value);
  expect(result.error).toBeUndefined();
  expect(result.data).toEqual(value);
}

/** Every server event a connection receives, by name, as it came off the wire. */
function recordEvents(socket: VoiceSocket): Array<[string, unknown]> {
  const events: Array<[string, unknown]> = [];
  socket.onAny((event: string, payload: unknown) => events.push([event, payload]));
  return events;
}

const LONG_SSML =
  '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">' +
  '<voice name="en-US-JennyNeural">Start.<break time="20s"/>Never spoken.</voice></speak>';

/**
 * The protocol module (src/protocol) describes what the gateway really sends: every ack and server event of a
 * session's life parses with its schema, field for field. (`session.moving` needs fleet mode: see the fleet e2e.)
 */
describe('voice protocol schemas against the real gateway (e2e)', () => {
  let v: VoiceApp;

  beforeAll(async () => {
    v = await startVoiceApp();
  });
  afterAll(() => v.close());

  it('every ack and server event of a session matches its schema', async () => {
    const client = v.connect();
    const events = recordEvents(client.socket);
    const { sessionId } = await client.ready();

    // The client resolves with the success acks as the server sent them.
    const spoken = await synthesize(client, { text: 'The protocol holds.', format: 'pcm-16k' });
    expectExactly(synthesisDoneAckSchema, spoken.ack);

    // A failed ack is read off the wire: the client turns it into a VoiceError.
    expectExactly(failedAckSchema, await request(client.socket, 'tts.synthesize', { text: '' }));
    expectExactly(cancelAckSchema, await client.cancel('unknown'));

    // A streamed utterance with word timings: start, words, audio, end.
    const stream = client.streamSpeech({ words: true, format: 'pcm-16k' });
    stream.write('Streamed ');
    stream.write('words.');
    expectExactly(streamStartedAckSchema, await stream.started);
    expectExactly(synthesisDoneAckSchema, await stream.end());

    v.emulator.setFaults({ realtimeFactor: 1 });
    try {
      const firstChunk = once(client.socket, 'tts.audio');
      const long = client.synthesize({ ssml: LONG_SSML, requestId: 'long' });
      await firstChunk;
      expectExactly(cancelAckSchema, await client.cancel('long'));
      expectExactly(synthesisCanceledAckSchema, await long);
    } finally {
      v.emulator.setFaults({});
    }

    const recognition = client.recognize({ sampleRate: 16_000 });
    expectExactly(sttStartedAckSchema, await recognition.started);
    recognition.send(spoken.audio);
    expectExactly(sttStoppedAckSchema, await recognition.stop());
    untyped(client).emit('stt.audio', Buffer.alloc(2)); // no recognition runs: an error event
    await once(client.socket, 'error');

    const successor = v.connect({ sessionId });
    const displaced = once(client.socket, 'session.displaced');
    await successor.ready();
    await displaced;

    const seen = new Set(events.map(([name]) => name));
    expect([...seen].sort()).toEqual(SERVER_EVENTS.filter((e) => e !== 'session.moving').sort());
    for (const [name, payload] of events) {
      expect(SERVER_EVENTS).toContain(name);
      expectExactly(EVENT_SCHEMAS[name as keyof typeof EVENT_SCHEMAS], payload);
    }
  });
});
