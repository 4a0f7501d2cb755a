import { ReplicaCountWindow } from './replica-count-window';

describe('ReplicaCountWindow', () => {
  it('keeps the largest count seen within a TTL of the latest reading', () => {
    const window = new ReplicaCountWindow(15_000);
    expect(window.largest()).toBe(1);
    window.record(3, 0);
    window.record(1, 1_000); // heartbeats reset: this replica registered again first
    window.record(2, 2_000);
    expect(window.latest()).toBe(2);
    expect(window.largest()).toBe(3);
  });

  it('forgets counts older than a TTL before the latest, when replicas really left', () => {
    const window = new ReplicaCountWindow(15_000);
    window.record(4, 0);
    window.record(2, 10_000);
    expect(window.largest()).toBe(4);
    window.record(2, 15_001);
    expect(window.largest()).toBe(2);
  });
});
