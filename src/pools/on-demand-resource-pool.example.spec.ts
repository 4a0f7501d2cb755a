import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tour } from './on-demand-resource-pool.example';

describe('the OnDemandResourcePool example in README.md', () => {
  it('runs as its comments say', async () => {
    expect(await tour()).toEqual(['cold', 'dedicated', 'reclaimed', 'cold', '3 opened, 3 closed']);
  });

  it('is the code README.md shows', () => {
    const readme = readFileSync(join(__dirname, 'README.md'), 'utf8');
    const example = readFileSync(join(__dirname, 'on-demand-resource-pool.example.ts'), 'utf8');
    expect(readme).toContain('```ts\n' + example + '```');
  });
});
