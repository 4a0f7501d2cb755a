import { analyzeSsml } from '../synthesis/ssml-analysis';
import { textToSsmlAtRate } from './speech-ssml';

describe('textToSsmlAtRate', () => {
  it('wraps escaped text in a prosody rate that the SSML checks accept', () => {
    const ssml = textToSsmlAtRate('a < b & "c"', 'en-GB-RyanNeural', 1.5);
    expect(ssml).toContain('xml:lang="en-GB"');
    expect(ssml).toContain('<prosody rate="1.5">a &lt; b &amp; &quot;c&quot;</prosody>');
    expect(analyzeSsml(ssml).ok).toBe(true);
  });

  it('clamps speeds the voices cannot do', () => {
    expect(textToSsmlAtRate('x', 'en-US-JennyNeural', 0.25)).toContain('rate="0.5"');
    expect(textToSsmlAtRate('x', 'en-US-JennyNeural', 4)).toContain('rate="3"');
  });
});
