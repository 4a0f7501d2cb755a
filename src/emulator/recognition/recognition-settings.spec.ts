import { modeFromSpeechConfig, settingsFromQuery, withSpeechContext } from './recognition-settings';

/** What SDK 1.52 sends: a recognizer with every option, as read off the wire. */
const CONTEXT_WITH_OPTIONS = JSON.stringify({
  phraseDetection: {
    language: 'en-US',
    initialSilenceTimeout: 2000,
    mode: 'Conversation',
    conversation: { segmentation: { mode: 'Custom', segmentationSilenceTimeoutMs: 300 } },
    enrichment: { profanity: 'Removed' },
  },
  phraseOutput: { detailed: { options: ['WordTimings'] }, format: 'Detailed' },
  dgi: { groups: [{ type: 'Generic', items: [{ text: 'Contoso' }, { text: 'warmline' }] }], bias: 1 },
});
const CONTEXT_WITH_LANGUAGE_ID = JSON.stringify({
  languageId: {
    languages: ['en-US', 'de-DE'],
    mode: 'DetectContinuous',
    onSuccess: { action: 'Recognize' },
    onUnknown: { action: 'None' },
    priority: 'PrioritizeLatency',
  },
  phraseOutput: { interimResults: { resultType: 'Auto' }, phraseResults: { resultType: 'Always' } },
  phraseDetection: { mode: 'Interactive' },
});

describe('recognition settings', () => {
  it('defaults as the service: 500 ms segmentation silence, masked profanity, simple results', () => {
    expect(settingsFromQuery(new URLSearchParams('language=en-US&format=simple'), 'continuous')).toEqual({
      mode: 'continuous',
      detailed: false,
      segmentationSilenceMs: 500,
      initialSilenceMs: undefined,
      profanity: 'masked',
      wordTimings: false,
      languageCandidates: undefined,
      phrases: [],
    });
  });

  it('reads the options the SDK puts in the URL when it connects', () => {
    const query = new URLSearchParams(
      'language=en-US&format=detailed&lidEnabled=true&segmentationSilenceTimeoutMs=300' +
        '&initialSilenceTimeoutMs=2000&profanity=removed&wordLevelTimestamps=true',
    );
    expect(settingsFromQuery(query, 'single-shot')).toMatchObject({
      mode: 'single-shot',
      detailed: true,
      segmentationSilenceMs: 300,
      initialSilenceMs: 2000,
      profanity: 'removed',
      wordTimings: true,
      languageCandidates: [],
    });
  });

  it("a turn's speech.context overrides the URL", () => {
    const base = settingsFromQuery(new URLSearchParams('format=simple'), 'single-shot');
    expect(withSpeechContext(base, CONTEXT_WITH_OPTIONS)).toEqual({
      mode: 'continuous',
      detailed: true,
      segmentationSilenceMs: 300,
      initialSilenceMs: 2000,
      profanity: 'removed',
      wordTimings: true,
      languageCandidates: undefined,
      phrases: ['Contoso', 'warmline'],
    });
    expect(withSpeechContext(base, CONTEXT_WITH_LANGUAGE_ID)).toMatchObject({
      mode: 'single-shot',
      languageCandidates: ['en-US', 'de-DE'],
    });
  });

  it('keeps the segmentation silence within the range the service accepts, and ignores what it cannot read', () => {
    const base = settingsFromQuery(new URLSearchParams('segmentationSilenceTimeoutMs=20'), undefined);
    expect(base.segmentationSilenceMs).toBe(100);
    const long = {
      phraseDetection: { dictation: { segmentation: { segmentationSilenceTimeoutMs: 99_000 } } },
    };
    expect(withSpeechContext(base, JSON.stringify(long)).segmentationSilenceMs).toBe(5000);
    expect(withSpeechContext(base, 'not json')).toBe(base);
    expect(
      withSpeechContext(base, JSON.stringify({ phraseDetection: { enrichment: { profanity: 'Loud' } } })),
    ).toEqual(base);
  });
});

describe('the mode speech.config names', () => {
  it('reads it; anything else says nothing', () => {
    expect(modeFromSpeechConfig('{"context":{},"recognition":"conversation"}')).toBe('continuous');
    expect(modeFromSpeechConfig('{"recognition":"Interactive"}')).toBe('single-shot');
    expect(modeFromSpeechConfig('{"context":{}}')).toBeUndefined();
    expect(modeFromSpeechConfig('nope')).toBeUndefined();
  });
});
