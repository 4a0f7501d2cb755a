import { GatedFakePool } from '../../../test/support/fleet/gated-fake-pool';
import { FakeClock } from '../../../test/support/pools/fake-clock';
import type { CreationPurpose } from '../../pools/creation-gate';
import { FleetBudget, type BudgetLink } from './fleet-budget';
import type { LeaseLedger, TakeOutcome } from './lease-ledger';

const HOLD_MS = 1_000;
const RETRY_MS = 50;

/** A ledger that answers takes from a script and records what each take said about itself. */
class ScriptedLedger {
  readonly takes: Array<{ purpose: CreationPurpose; persistent: boolean }> = [];
  answer: TakeOutcome = 'granted';
  gives = 0;

  take(_pool: string, _max: number, purpose: CreationPurpose, _waiting: number, persistent = false) {
    this.takes.push({ purpose, persistent });
    return Promise.resolve({ outcome: this.answer, leased: 0 });
  }

  give(): Promise<number> {
    this.gives++;
    return Promise.resolve(1);
  }
}

function budgetWith(ledger: ScriptedLedger, clock: FakeClock) {
  const link: BudgetLink = {
    mode: 'ok',
    ledger: ledger as unknown as LeaseLedger, // only take() and give() are called by a budget
    replicasForShare: () => 1,
    reportFailure: () => undefined,
    requestSync: () => undefined,
  };
  const budget = new FleetBudget('tts', 4, link, clock, RETRY_MS, HOLD_MS);
  const pool = new GatedFakePool('tts', budget);
  return { budget, pool };
}

/** Lets the scripted takes' promises settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('FleetBudget: hysteresis and giving back (scripted ledger, fake clock)', () => {
  it('calls a demand persistent (may borrow) only once acquires have waited for the lending hold without a pause', async () => {
    const clock = new FakeClock();
    const ledger = new ScriptedLedger();
    const { budget, pool } = budgetWith(ledger, clock);
    ledger.answer = 'refused';
    void pool.acquire();
    await settle();
    expect(ledger.takes.at(-1)).toEqual({ purpose: 'acquire', persistent: false });

    for (let waited = 0; waited < HOLD_MS - RETRY_MS; waited += RETRY_MS) {
      clock.advance(RETRY_MS); // the retry timer asks again
      await settle();
    }
    expect(ledger.takes.every((t) => !t.persistent)).toBe(true);
    ledger.answer = 'granted';
    clock.advance(RETRY_MS);
    await settle();
    expect(ledger.takes.at(-1)).toEqual({ purpose: 'acquire', persistent: true });
    expect(pool.inUse.size).toBe(1);

    // Demand ended (a heartbeat saw no one waiting): the next wait starts from nothing.
    budget.observe();
    ledger.answer = 'refused';
    void pool.acquire();
    await settle();
    expect(ledger.takes.at(-1)).toEqual({ purpose: 'acquire', persistent: false });
  });

  it('asks Redis once per retry period for a blocked queue, not once per queued acquire', async () => {
    const clock = new FakeClock();
    const ledger = new ScriptedLedger();
    const { pool } = budgetWith(ledger, clock);
    ledger.answer = 'refused';
    void pool.acquire();
    await settle();
    const before = ledger.takes.length;
    for (let i = 0; i < 20; i++) void pool.acquire(); // each wakes the queue
    await settle();
    expect(ledger.takes.length).toBe(before);
    clock.advance(RETRY_MS);
    await settle();
    expect(ledger.takes.length).toBe(before + 1);
    expect(pool.pendingAcquires()).toBe(21);
  });

  it('is quiet only after nobody was served or waited for the lending hold', async () => {
    const clock = new FakeClock();
    const ledger = new ScriptedLedger();
    const { budget, pool } = budgetWith(ledger, clock);
    const id = await pool.acquire();
    budget.observe();
    expect(budget.quiet()).toBe(false); // in use
    pool.giveBack(id);
    budget.observe(); // served since the last look
    clock.advance(HOLD_MS - 1);
    budget.observe();
    expect(budget.quiet()).toBe(false);
    clock.advance(1);
    expect(budget.quiet()).toBe(true);
    await pool.acquire(); // served again (and holding it): not quiet
    expect(budget.quiet()).toBe(false);
  });

  it('gives owed leases back: idle clients at once, then clients as they come back instead of to its own waiters', async () => {
    const clock = new FakeClock();
    const ledger = new ScriptedLedger();
    const { budget, pool } = budgetWith(ledger, clock);
    const ids = await Promise.all([0, 1, 2].map(() => pool.acquire()));
    pool.giveBack(ids[0]); // one idle
    budget.owe(2);
    expect(pool.idle).toHaveLength(0);
    expect(budget.owed).toBe(1);

    ledger.answer = 'refused';
    const own = pool.acquire(); // this replica's own waiter does not get the next one back
    pool.giveBack(ids[1]);
    expect(pool.destroyed).toBe(2);
    expect(budget.owed).toBe(0);
    expect(pool.pendingAcquires()).toBe(1);
    pool.giveBack(ids[2]); // nothing owed any more: to the waiter
    await expect(own).resolves.toBe(ids[2]);
    await settle();
    expect(ledger.gives).toBe(2);
  });
});
