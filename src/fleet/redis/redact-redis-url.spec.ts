import { redactRedisUrl } from './redis-connection';

describe('redactRedisUrl', () => {
  it.each([
    ['redis://:hunter2@redis:6379', 'redis://:***@redis:6379'],
    ['rediss://warmline:hunter2@redis:6380/2', 'rediss://***:***@redis:6380/2'],
    ['redis://hunter2@redis:6379', 'redis://***@redis:6379'],
    ['redis://redis:6379/0?password=hunter2&db=1', 'redis://redis:6379/0?password=***&db=***'],
    [
      'redis://redis:6379?username=app&password=hunter2&password=again',
      'redis://redis:6379?username=***&password=***',
    ],
  ])('hides every credential in %s', (url, shown) => {
    expect(redactRedisUrl(url)).toBe(shown);
    expect(redactRedisUrl(url)).not.toMatch(/hunter2|again/);
  });

  it('leaves a URL without credentials as it is, and names the variable for one it cannot parse', () => {
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactRedisUrl('not a url hunter2')).toBe('REDIS_URL');
  });
});
