import { ShutdownState } from './shutdown-state';

describe('ShutdownState', () => {
  it('starts running and flips once begin() is called, keeping the first reason', async () => {
    const state = new ShutdownState();
    expect(state.isShuttingDown).toBe(false);
    expect(state.shutdownReason).toBeNull();
    state.begin('SIGTERM');
    state.begin('onModuleDestroy');
    expect(state.isShuttingDown).toBe(true);
    expect(state.shutdownReason).toBe('SIGTERM');
    await expect(state.begun).resolves.toBe('SIGTERM');
  });

  it('notifies listeners synchronously, once, and late subscribers immediately', () => {
    const state = new ShutdownState();
    const early = jest.fn();
    const removed = jest.fn();
    state.onShutdown(early);
    state.onShutdown(removed)();
    state.begin('SIGINT');
    state.begin('again');
    expect(early).toHaveBeenCalledTimes(1);
    expect(early).toHaveBeenCalledWith('SIGINT');
    expect(removed).not.toHaveBeenCalled();

    const late = jest.fn();
    state.onShutdown(late);
    expect(late).toHaveBeenCalledWith('SIGINT');
  });

  it('keeps notifying when a listener throws', () => {
    const state = new ShutdownState();
    const after = jest.fn();
    state.onShutdown(() => {
      throw new Error('boom');
    });
    state.onShutdown(after);
    expect(() => state.begin('SIGTERM')).not.toThrow();
    expect(after).toHaveBeenCalled();
  });

  it('begins from the Nest shutdown hooks', () => {
    const destroyed = new ShutdownState();
    destroyed.onModuleDestroy();
    expect(destroyed.shutdownReason).toBe('onModuleDestroy');

    const signalled = new ShutdownState();
    signalled.beforeApplicationShutdown('SIGTERM');
    expect(signalled.shutdownReason).toBe('SIGTERM');
  });
});
