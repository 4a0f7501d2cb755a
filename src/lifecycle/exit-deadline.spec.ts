import { expect } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { FakeClock } from '../../test/support/pools/fake-clock';
import { armExitDeadline } from './exit-deadline';

describe('armExitDeadline', () => {
  it('does nothing until a signal, then ends the process once the deadline has passed', () => {
    const clock = new FakeClock();
    const signals = new EventEmitter();
    const onExpired = jest.fn();
    armExitDeadline({ deadlineMs: 20_000, onExpired, signals, clock });
    clock.advance(60_000);
    expect(onExpired).not.toHaveBeenCalled();

    signals.emit('SIGTERM');
    clock.advance(19_999);
    expect(onExpired).not.toHaveBeenCalled();
    signals.emit('SIGINT'); // a second signal does not move the deadline
    clock.advance(1);
    expect(onExpired).toHaveBeenCalledTimes(1);
  });

  it('can be disarmed', () => {
    const clock = new FakeClock();
    const signals = new EventEmitter();
    const onExpired = jest.fn();
    const disarm = armExitDeadline({ deadlineMs: 1_000, onExpired, signals, clock });
    signals.emit('SIGINT');
    disarm();
    clock.advance(5_000);
    expect(onExpired).not.toHaveBeenCalled();
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });
});
