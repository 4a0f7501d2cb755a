import { MAX_SSML_BYTES, checkSsml } from './ssml-validator';

const wrap = (body: string): string =>
  `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">${body}</speak>`;

describe('checkSsml', () => {
  it.each([
    ['a minimal document', '<speak>hi</speak>'],
    [
      'a full document with a declaration',
      `<?xml version="1.0"?>${wrap('<voice name="en-US-JennyNeural">a &amp; b</voice>')}`,
    ],
    ['an empty speak element', '<speak/>'],
    ['comments and CDATA', wrap('<!-- note --><![CDATA[1 < 2]]>')],
  ])('accepts %s', (_name, ssml) => {
    expect(checkSsml(ssml)).toEqual({ ok: true });
  });

  it.each([
    ['plain text', 'hello', /not well-formed/],
    ['an empty string', '', /not well-formed/],
    ['an unclosed root', '<speak>hi', /unclosed tag/],
    ['mismatched tags', '<speak><voice></speak></voice>', /not well-formed/],
    ['two roots', '<speak>a</speak><speak>b</speak>', /only one root/],
    ['text after the root', '<speak/>tail', /not well-formed/],
    ['another root element', '<voice name="x">hi</voice>', /root element must be <speak>/],
    ['a prefixed root', '<s:speak xmlns:s="urn:x"/>', /root element must be <speak>/],
    ['an undefined entity', '<speak>&lol;</speak>', /undefined entity/],
    ['a DOCTYPE with entities', '<!DOCTYPE speak [<!ENTITY a "aaaa">]><speak>&a;</speak>', /DOCTYPE/],
    ['a raw ampersand', '<speak>fish & chips</speak>', /not well-formed/],
  ])('rejects %s', (_name, ssml, reason) => {
    const check = checkSsml(ssml);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });

  it('accepts exactly 64 KiB and rejects one byte more (UTF-8 bytes, not characters)', () => {
    const frame = wrap('');
    const fill = (bytes: number): string => wrap('a'.repeat(bytes - Buffer.byteLength(frame)));
    expect(checkSsml(fill(MAX_SSML_BYTES))).toEqual({ ok: true });
    expect(checkSsml(fill(MAX_SSML_BYTES + 1))).toEqual({
      ok: false,
      reason: expect.stringMatching(/65537 bytes/),
    });
    // 'é' is 2 bytes: 40,000 of them are under 64 Ki characters but over 64 KiB.
    expect(checkSsml(wrap('é'.repeat(40_000))).ok).toBe(false);
  });
});
