import { LruCache } from './lru-cache';

describe('LruCache', () => {
  it('evicts the least recently used entry beyond its count', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // b is now the oldest
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.size).toBe(2);
  });

  it('evicts by weight and never keeps an entry heavier than the bound', () => {
    const cache = new LruCache<string, string>(10, 5, (v) => v.length);
    cache.set('a', 'xxx');
    cache.set('b', 'yyy');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.weight).toBe(3);
    cache.set('c', 'zzzzzz');
    expect(cache.get('c')).toBeUndefined();
    expect(cache.get('b')).toBe('yyy');
  });
});
