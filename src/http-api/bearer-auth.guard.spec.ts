import { bearerToken } from './bearer-auth.guard';

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer   abc  ', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ])('%s -> %s', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
