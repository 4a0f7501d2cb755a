import { DebugController } from './debug.controller';
import { DebugModule } from './debug.module';

describe('DebugModule.forRoot', () => {
  it('registers the debug routes only when enabled', async () => {
    expect((await DebugModule.forRoot(Promise.resolve({ debugEndpoints: true }))).controllers).toEqual([
      DebugController,
    ]);
    expect((await DebugModule.forRoot(Promise.resolve({ debugEndpoints: false }))).controllers).toEqual([]);
  });

  it('fails with the configuration instead of waiting for it', async () => {
    await expect(DebugModule.forRoot(Promise.reject(new Error('invalid env')))).rejects.toThrow(
      'invalid env',
    );
  });
});
