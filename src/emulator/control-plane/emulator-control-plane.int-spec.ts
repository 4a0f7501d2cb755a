import WebSocket from 'ws';
import { encodeBinaryFrame, encodeTextFrame, serviceHeaders } from '../protocol/frame-codec';
import { RunningEmulator, startEmulator } from '..';
import { eventually, withDeadline } from '../../../test/support/emulator/speech-sdk';

const TTS_PATH = '/tts/cognitiveservices/websocket/v1';
const REQUEST_ID = 'ABCDEF0123456789ABCDEF0123456789';

async function http(emulator: RunningEmulator, method: string, path: string, body?: string) {
  const res = await fetch(`${emulator.httpUrl}${path}`, { method, body });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown> };
}

interface RawMessage {
  text?: string;
  binary?: Buffer;
}

/** A raw protocol client: records every message and how the server closed. */
function rawClient(emulator: RunningEmulator, path = TTS_PATH) {
  const ws = new WebSocket(`${emulator.url}${path}`);
  const messages: RawMessage[] = [];
  ws.on('message', (data: Buffer, isBinary: boolean) =>
    messages.push(isBinary ? { binary: data } : { text: data.toString() }),
  );
  const opened = withDeadline(
    new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    }),
    10_000,
    'open',
  );
  const closed = withDeadline(
    new Promise<{ code: number; reason: string }>((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    ),
    10_000,
    'close',
  );
  return { ws, messages, opened, closed };
}

const ssmlMessage = (ssml: string): string =>
  encodeTextFrame(serviceHeaders('ssml', REQUEST_ID, 'application/ssml+xml'), ssml);
const SSML =
  '<speak version="1.0" xml:lang="en-US"><voice name="en-US-JennyNeural">Hello there.</voice></speak>';

describe('speech emulator control plane and robustness', () => {
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
  });

  afterEach(async () => {
    await emulator.close();
  });

  describe('HTTP', () => {
    it('GET /emulator/stats answers exactly the documented fields', async () => {
      const { status, json } = await http(emulator, 'GET', '/emulator/stats');
      expect(status).toBe(200);
      expect(json).toEqual({
        connectionsOpen: 0,
        connectionsTotal: 0,
        connectionsPeak: 0,
        rejectedTotal: 0,
        syntheses: 0,
        recognitions: 0,
      });
    });

    it('POST /emulator/faults replaces the settings and answers with them', async () => {
      const set = await http(
        emulator,
        'POST',
        '/emulator/faults',
        JSON.stringify({ rejectNext: 2, requireKey: 'k' }),
      );
      expect(set.status).toBe(200);
      expect(set.json).toMatchObject({
        rejectNext: 2,
        requireKey: 'k',
        rejectStatus: 429,
        connectLatencyMs: 0,
      });
      const replaced = await http(
        emulator,
        'POST',
        '/emulator/faults',
        JSON.stringify({ connectLatencyMs: 5 }),
      );
      expect(replaced.json).toMatchObject({ rejectNext: 0, requireKey: null, connectLatencyMs: 5 });
      expect((await http(emulator, 'GET', '/emulator/faults')).json).toEqual(replaced.json);
    });

    it('400 with a clear message for bad JSON and wrong field types; 404 and 405 as JSON', async () => {
      const badJson = await http(emulator, 'POST', '/emulator/faults', '{nope');
      expect(badJson.status).toBe(400);
      expect(badJson.json.error).toMatch(/not valid JSON/);
      const badType = await http(
        emulator,
        'POST',
        '/emulator/faults',
        JSON.stringify({ maxConnections: 'ten' }),
      );
      expect(badType.status).toBe(400);
      expect(badType.json.error).toMatch(/maxConnections must be a non-negative integer/);
      const notFound = await http(emulator, 'GET', '/emulator/nothing');
      expect(notFound.status).toBe(404);
      expect(notFound.json.error).toMatch(/No route/);
      expect((await http(emulator, 'GET', '/emulator/reset')).status).toBe(405);
    });

    it('GET /cognitiveservices/voices/list: the voices it speaks, behind the key requireKey asks for', async () => {
      const { status, json } = await http(emulator, 'GET', '/cognitiveservices/voices/list');
      expect(status).toBe(200);
      expect(json).toContainEqual(
        expect.objectContaining({
          ShortName: 'en-US-JennyNeural',
          Name: 'Microsoft Server Speech Text to Speech Voice (en-US, JennyNeural)',
          Locale: 'en-US',
          Gender: 'Female',
        }),
      );
      emulator.setFaults({ requireKey: 'k' });
      expect((await http(emulator, 'GET', '/cognitiveservices/voices/list')).status).toBe(401);
      const keyed = await fetch(`${emulator.httpUrl}/cognitiveservices/voices/list`, {
        headers: { 'Ocp-Apim-Subscription-Key': 'k' },
      });
      expect(keyed.status).toBe(200);
    });

    it('POST /emulator/reset zeroes the counters and clears faults', async () => {
      emulator.setFaults({ rejectNext: 1 });
      const client = rawClient(emulator);
      await expect(client.opened).rejects.toThrow();
      const { status, json } = await http(emulator, 'POST', '/emulator/reset');
      expect(status).toBe(200);
      expect(json).toMatchObject({ rejectedTotal: 0 });
      expect((await http(emulator, 'GET', '/emulator/faults')).json).toMatchObject({ rejectNext: 0 });
    });
  });

  describe('websocket protocol', () => {
    it('answers a synthesis in the service order, every message with the request id', async () => {
      const client = rawClient(emulator);
      await client.opened;
      client.ws.send(encodeTextFrame(serviceHeaders('speech.config', REQUEST_ID, 'application/json'), '{}'));
      client.ws.send(
        encodeTextFrame(
          serviceHeaders('synthesis.context', REQUEST_ID, 'application/json'),
          JSON.stringify({
            synthesis: {
              audio: {
                outputFormat: 'raw-24khz-16bit-mono-pcm',
                metadataOptions: { wordBoundaryEnabled: true },
              },
            },
          }),
        ),
      );
      client.ws.send(ssmlMessage(SSML));
      await eventually(
        () => client.messages.some((m) => m.text?.includes('Path: turn.end')),
        10_000,
        'turn.end',
      );
      const paths = client.messages.map((m) => (m.text ? /Path: (\S+)/.exec(m.text)?.[1] : 'audio(binary)'));
      expect(paths.slice(0, 2)).toEqual(['turn.start', 'response']);
      expect(paths[paths.length - 1]).toBe('turn.end');
      expect(paths.filter((p) => p === 'audio(binary)').length).toBeGreaterThan(5);
      const metadata = client.messages
        .filter((m) => m.text?.includes('Path: audio.metadata'))
        .map((m) => m.text!.split('\r\n\r\n')[1]);
      expect(metadata.filter((m) => m.includes('WordBoundary'))).toHaveLength(2);
      expect(metadata[metadata.length - 1]).toContain('SessionEnd');
      for (const m of client.messages) {
        const text = m.text ?? m.binary!.toString('latin1', 2, 2 + m.binary!.readInt16BE(0));
        expect(text).toContain(`X-RequestId: ${REQUEST_ID}`);
      }
      client.ws.close();
    });

    it.each([
      ['a binary frame whose header length exceeds it', () => Buffer.from([0x7f, 0xff, 0x41])],
      ['a binary frame with a negative header length', () => Buffer.from([0xff, 0xff, 0x41])],
      ['a text frame without a Path', () => 'X-RequestId: x\r\n\r\n{}'],
      ['SSML that is not XML', () => ssmlMessage('<speak><voice>')],
      ['SSML over 64 KiB', () => ssmlMessage(`<speak>${'a'.repeat(70_000)}</speak>`)],
    ])('closes the socket with 1007 on %s, and keeps serving others', async (_name, frame) => {
      const client = rawClient(emulator);
      await client.opened;
      client.ws.send(frame());
      expect((await client.closed).code).toBe(1007);
      const next = rawClient(emulator);
      await next.opened;
      next.ws.send(ssmlMessage(SSML));
      await eventually(
        () => next.messages.some((m) => m.text?.includes('Path: turn.end')),
        10_000,
        'turn.end',
      );
      next.ws.close();
    });

    it('an unknown voice: turn.start, then close 1007 "Unsupported voice <name>." as the service answers', async () => {
      const client = rawClient(emulator);
      await client.opened;
      client.ws.send(
        ssmlMessage(
          '<speak version="1.0" xml:lang="en-US"><voice name="xx-XX-Nobody">Hello.</voice></speak>',
        ),
      );
      expect(await client.closed).toEqual({ code: 1007, reason: 'Unsupported voice xx-XX-Nobody.' });
      const paths = client.messages.map((m) => (m.text ? /Path: (\S+)/.exec(m.text)?.[1] : 'audio(binary)'));
      expect(paths).toEqual(['turn.start']);
    });

    it('closes with 1009 on an oversized message', async () => {
      const client = rawClient(emulator);
      await client.opened;
      client.ws.send(encodeBinaryFrame(serviceHeaders('audio', REQUEST_ID), Buffer.alloc(2 * 1024 * 1024)));
      expect((await client.closed).code).toBe(1009);
    });

    it('refuses an unknown path with 404 on upgrade and counts it', async () => {
      const client = rawClient(emulator, '/speech/unknown/v1');
      await expect(client.opened).rejects.toThrow(/404/);
      expect(emulator.stats().rejectedTotal).toBe(1);
    });

    it('survives clients vanishing mid-synthesis, and stays flat over many connections', async () => {
      emulator.setFaults({ firstByteLatencyMs: 50 });
      for (let i = 0; i < 20; i++) {
        const client = rawClient(emulator);
        await client.opened;
        client.ws.send(ssmlMessage(SSML));
        if (i % 2 === 0) await eventually(() => client.messages.length > 0, 5_000, 'turn.start');
        client.ws.terminate();
      }
      emulator.setFaults({});
      for (let i = 0; i < 1000; i++) {
        const client = rawClient(
          emulator,
          i % 2 ? TTS_PATH : '/speech/recognition/interactive/cognitiveservices/v1',
        );
        await client.opened;
        client.ws.close();
        await client.closed;
      }
      await eventually(() => emulator.stats().connectionsOpen === 0, 5_000, 'all sockets closed');
      expect(emulator.stats()).toMatchObject({
        connectionsTotal: 1020,
        connectionsPeak: expect.any(Number) as number,
      });
      const last = rawClient(emulator);
      await last.opened;
      last.ws.send(ssmlMessage(SSML));
      await eventually(
        () => last.messages.some((m) => m.text?.includes('Path: turn.end')),
        10_000,
        'turn.end',
      );
      last.ws.close();
    });
  });
});
