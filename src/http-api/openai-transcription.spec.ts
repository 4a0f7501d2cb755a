import { AllocationTier } from '../pools/allocation-tier';
import type { Transcript } from './http-recognition';
import { languageName, toSrt, toVerboseTranscription, toVtt } from './openai-transcription';
import { parseTranscriptionFields, promptPhrases } from './openai-transcription-request';

const transcript: Transcript = {
  text: 'Hello there. Bye.',
  segments: [
    {
      text: 'Hello there.',
      offsetMs: 450,
      durationMs: 1200,
      words: [
        { text: 'hello', offsetMs: 450, durationMs: 500 },
        { text: 'there', offsetMs: 1000, durationMs: 650 },
      ],
    },
    { text: 'Bye.', offsetMs: 3_723_004, durationMs: 996 },
  ],
  tier: AllocationTier.WARM,
  durationMs: 3_725_000,
  language: 'en-US',
};

describe('OpenAI transcription formats', () => {
  it('SubRip and WebVTT cues from the segments, hours included', () => {
    expect(toSrt(transcript)).toBe(
      '1\n00:00:00,450 --> 00:00:01,650\nHello there.\n\n2\n01:02:03,004 --> 01:02:04,000\nBye.\n\n',
    );
    expect(toVtt(transcript)).toBe(
      'WEBVTT\n\n00:00:00.450 --> 00:00:01.650\nHello there.\n\n01:02:03.004 --> 01:02:04.000\nBye.\n\n',
    );
    expect(toVtt({ ...transcript, text: '', segments: [] })).toBe('WEBVTT\n\n');
  });

  it('verbose_json: words and segments in seconds, the language by name', () => {
    const verbose = toVerboseTranscription(transcript, new Set(['word']));
    expect(verbose).toEqual({
      task: 'transcribe',
      language: 'english',
      duration: 3725,
      text: 'Hello there. Bye.',
      words: [
        { word: 'Hello', start: 0.45, end: 0.95 },
        { word: 'there', start: 1, end: 1.65 },
      ],
    });
    // No one-for-one pairing with the written text: the recognizer's own words.
    const digits = { ...transcript.segments[0], text: 'Hello 2.' };
    expect(
      toVerboseTranscription({ ...transcript, segments: [digits] }, new Set(['word'])).words?.map(
        (w) => w.word,
      ),
    ).toEqual(['hello', 'there']);
    expect(toVerboseTranscription(transcript).segments?.[1]).toMatchObject({
      id: 1,
      start: 3723.004,
      end: 3724,
    });
    expect(['de-DE', 'mi-NZ', 'zh-Hans-CN'].map(languageName)).toEqual(['german', 'maori', 'chinese']);
  });

  it('prompt words become a phrase list within its bounds', () => {
    expect(promptPhrases('Contoso, Fabrikam... and contoso!')).toEqual(['Fabrikam', 'and', 'contoso']);
    expect(promptPhrases(' ... ')).toBeUndefined();
    const many = Array.from({ length: 600 }, (_, i) => `w${i}`).join(' ') + ` ${'x'.repeat(101)}`;
    const phrases = promptPhrases(many) ?? [];
    expect(phrases).toHaveLength(500);
    expect(phrases[0]).toBe('w100'); // the end of a long prompt is kept
  });

  it('fields: defaults, list fields, and 400s naming the field', () => {
    expect(parseTranscriptionFields(new Map([['model', 'whisper-1']]))).toMatchObject({
      format: 'json',
      stream: false,
      granularities: new Set(['segment']),
    });
    expect(
      parseTranscriptionFields(
        new Map([
          ['response_format', 'verbose_json'],
          ['timestamp_granularities[]', 'word,segment'],
          ['model', 'gpt-4o-transcribe-2025-03-20'],
        ]),
      ).granularities,
    ).toEqual(new Set(['word', 'segment']));
    expect(() => parseTranscriptionFields(new Map([['stream', 'yes']]))).toThrow(
      /stream: must be true or false/,
    );
  });
});
