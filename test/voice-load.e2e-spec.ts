import {
  poolsSettled,
  recognise,
  startVoiceApp,
  synthesize,
  waitFor,
  words,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(120_000);

const SESSIONS = 50;
const NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const spell = (n: number): string =>
  String(n)
    .split('')
    .map((d) => NUMBERS[Number(d)])
    .join(' ');

describe('voice gateway: 50 concurrent sessions (e2e)', () => {
  let v: VoiceApp;

  beforeAll(async () => {
    v = await startVoiceApp({ voice: { sessionResumeGraceMs: 500 } });
  });
  afterAll(() => v.close());

  it('each synthesizes and recognises its own words, all at once, and every client goes back', async () => {
    const results = await Promise.all(
      Array.from({ length: SESSIONS }, async (_unused, i) => {
        const client = v.connect();
        await client.ready();
        const text = `Caller ${spell(i)} asks for the weather in ${spell(1_000 + i * 7)}.`;
        const first = await synthesize(client, { text, format: 'pcm-16k', requestId: `s${i}` });
        const second = await synthesize(client, { text: `and thanks from ${spell(i)}`, format: 'pcm-16k' });
        const heard = await recognise(client, first.audio, { sampleRate: 16_000, requestId: `h${i}` });
        client.close();
        return { i, text, first, second, heard };
      }),
    );

    for (const { text, first, second, heard } of results) {
      expect(first.ack).toMatchObject({ ok: true, bytes: first.audio.length });
      expect(['warm', 'cold']).toContain(first.ack.tier);
      expect(second.ack).toMatchObject({ ok: true, tier: 'dedicated' });
      expect(first.chunks.map((c) => c.seq)).toEqual(first.chunks.map((_c, n) => n));
      expect(heard.start).toMatchObject({ ok: true });
      expect(heard.stop).toEqual({ ok: true, finals: heard.finals.length });
      expect(heard.errors).toEqual([]);
      expect(words(heard.finals.map((f) => f.text).join(' '))).toBe(words(text));
    }
    expect(v.tts.snapshot().metrics.allocationsDedicated).toBeGreaterThanOrEqual(SESSIONS);

    await waitFor(() => v.sessions.size === 0, 'every session past its grace', 20_000);
    await poolsSettled(v);
    // Released clients stay warm up to warmPoolMax until trimmed: every socket upstream is one a pool holds.
    await waitFor(
      () => v.emulator.stats().connectionsOpen === v.tts.snapshot().size + v.stt.snapshot().size,
      "upstream sockets are exactly the pools' clients",
    );
  });
});
