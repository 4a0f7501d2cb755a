import { escapeXml, textToSsml, voiceLocale } from './ssml';

describe('textToSsml', () => {
  it('escapes every markup character so text is spoken literally', () => {
    const ssml = textToSsml(`<b>Tom & "Jerry"</b> it's`, 'en-US-JennyNeural');
    expect(ssml).toContain('&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt; it&apos;s');
    expect(ssml).not.toContain('<b>');
  });

  it('names the voice and its locale', () => {
    const ssml = textToSsml('hallo', 'de-DE-KatjaNeural');
    expect(ssml).toMatch(/^<speak [^>]*xml:lang="de-DE">/);
    expect(ssml).toContain('<voice name="de-DE-KatjaNeural">hallo</voice>');
  });

  it('escapes a hostile voice name inside the attribute', () => {
    expect(textToSsml('x', 'a"><evil/>')).toContain('<voice name="a&quot;&gt;&lt;evil/&gt;">');
  });
});

describe('voiceLocale', () => {
  it.each([
    ['en-US-JennyNeural', 'en-US'],
    ['zh-CN-XiaoxiaoNeural', 'zh-CN'],
    ['fil-PH-AngeloNeural', 'fil-PH'],
    ['custom', 'en-US'],
  ])('%s → %s', (voice, locale) => expect(voiceLocale(voice)).toBe(locale));
});

describe('escapeXml', () => {
  it('escapes ampersands first so entities are not double-escaped wrongly', () => {
    expect(escapeXml('&lt;')).toBe('&amp;lt;');
  });
});

describe('textToSsml at a speaking rate', () => {
  it('wraps the escaped text in a prosody rate', () => {
    const ssml = textToSsml('a < b & "c"', 'en-GB-RyanNeural', 1.5);
    expect(ssml).toContain('xml:lang="en-GB"');
    expect(ssml).toContain('<prosody rate="1.5">a &lt; b &amp; &quot;c&quot;</prosody>');
  });

  it('clamps rates the voices cannot speak, and leaves the normal rate without prosody', () => {
    expect(textToSsml('x', 'en-US-JennyNeural', 0.25)).toContain('rate="0.5"');
    expect(textToSsml('x', 'en-US-JennyNeural', 4)).toContain('rate="3"');
    expect(textToSsml('x', 'en-US-JennyNeural', 1)).not.toContain('prosody');
  });
});
