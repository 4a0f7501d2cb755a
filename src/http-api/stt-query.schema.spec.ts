import { sttQuerySchema } from './stt-query.schema';

describe('sttQuerySchema (POST /api/v1/stt query parameters)', () => {
  it('reads lists repeated or comma-separated, numbers and booleans from text', () => {
    expect(
      sttQuerySchema.parse({
        language: 'en',
        languages: ['en-US', 'de-DE,fr-FR'],
        phrases: 'Contoso',
        endSilenceMs: '300',
        initialSilenceMs: '5000',
        profanity: 'raw',
        words: 'true',
      }),
    ).toEqual({
      language: 'en',
      languages: ['en-US', 'de-DE', 'fr-FR'],
      phrases: ['Contoso'],
      endSilenceMs: 300,
      initialSilenceMs: 5000,
      profanity: 'raw',
      words: true,
    });
    expect(sttQuerySchema.parse({ languages: 'en-US, de-DE', words: 'false' })).toEqual({
      languages: ['en-US', 'de-DE'],
      words: false,
    });
    expect(sttQuerySchema.parse({})).toEqual({});
  });

  it.each([
    [{ endSilenceMs: '300ms' }, 'endSilenceMs'],
    [{ endSilenceMs: '99' }, 'endSilenceMs'],
    [{ words: '1' }, 'words'],
    [{ languages: 'en-US' }, 'languages'],
    [{ phrases: ['ok', ''] }, 'phrases.1'],
    [{ endsilencems: '300' }, 'endsilencems'],
  ])('refuses %j, naming %s', (query, field) => {
    const result = sttQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => (i.path.length > 0 ? i.path.join('.') : i.message));
    expect(paths?.join(' ')).toContain(field);
  });
});
