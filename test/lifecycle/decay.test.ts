import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  currentStrength,
  DECAY,
  halfLifeDays,
  reinforceOnRecall,
  reinforceOnRestatement,
} from '../../src/memory/lifecycle/decay.js';
import { DEFAULT_RANK_WEIGHTS, rankFactor } from '../../src/memory/lifecycle/rank.js';
import { makeMemory } from '../helpers/memory-factory.js';

const DAY = 86_400_000;
const at = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY);

describe('decay', () => {
  it('halves strength after one half-life of a never-recalled memory of importance 0.5', () => {
    const m = makeMemory({ occurredAt: '2024-01-01T00:00:00.000Z', importance: 0.5 });
    assert.equal(halfLifeDays(m), DECAY.BASE_HALF_LIFE_DAYS);
    assert.equal(currentStrength(m, at(m.occurredAt, 0)), 1);
    assert.ok(Math.abs(currentStrength(m, at(m.occurredAt, 14)) - 0.5) < 1e-12);
    assert.ok(Math.abs(currentStrength(m, at(m.occurredAt, 28)) - 0.25) < 1e-12);
  });

  it('grows the half-life with reinforcement and with importance', () => {
    const base = makeMemory({ importance: 0.5, accessCount: 0 });
    assert.equal(halfLifeDays({ ...base, accessCount: 1 }), 2 * halfLifeDays(base));
    assert.equal(halfLifeDays({ ...base, accessCount: 3 }), 8 * halfLifeDays(base));
    // Growth stops after MAX_GROWTH_STEPS reinforcements.
    assert.equal(
      halfLifeDays({ ...base, accessCount: 100 }),
      halfLifeDays({ ...base, accessCount: DECAY.MAX_GROWTH_STEPS }),
    );
    assert.equal(halfLifeDays({ ...base, importance: 1 }), 21);
    assert.equal(halfLifeDays({ ...base, importance: 0 }), 7);
  });

  it('restarts the curve at the last access', () => {
    const m = makeMemory({
      occurredAt: '2024-01-01T00:00:00.000Z',
      lastAccessedAt: '2024-03-01T00:00:00.000Z',
    });
    assert.equal(currentStrength(m, new Date('2024-03-01T00:00:00.000Z')), 1);
    assert.ok(Math.abs(currentStrength(m, at('2024-03-01T00:00:00.000Z', 14)) - 0.5) < 1e-12);
  });

  it('does not fade a memory dated in the future', () => {
    const m = makeMemory({ occurredAt: '2030-01-01T00:00:00.000Z', strength: 0.8 });
    assert.equal(currentStrength(m, new Date('2024-01-01T00:00:00.000Z')), 0.8);
  });

  it('reinforcement adds the documented boosts, capped at 1', () => {
    assert.equal(reinforceOnRecall(makeMemory({ strength: 0.5 })).strength, 0.5 + DECAY.RECALL_BOOST);
    assert.equal(reinforceOnRecall(makeMemory({ strength: 0.95 })).strength, 1);
    const now = new Date('2024-05-01T00:00:00.000Z');
    const r = reinforceOnRestatement(makeMemory({ strength: 0.3, accessCount: 2 }), now);
    assert.deepEqual(r, {
      strength: 0.3 + DECAY.RESTATE_BOOST,
      accessCount: 3,
      lastAccessedAt: now.toISOString(),
    });
  });

  it('strength stays in [0, 1] and never rises as time passes (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        (strength, importance, accessCount, d1, d2) => {
          const m = makeMemory({ strength, importance, accessCount, occurredAt: '2020-01-01T00:00:00.000Z' });
          const early = currentStrength(m, at(m.occurredAt, Math.min(d1, d2)));
          const late = currentStrength(m, at(m.occurredAt, Math.max(d1, d2)));
          return early >= 0 && early <= 1 && late >= 0 && late <= early;
        },
      ),
    );
  });
});

describe('rankFactor', () => {
  const now = new Date('2024-01-01T00:00:00.000Z');
  const both = { importance: 0.05, strength: 0.05, superseded: 0.8, fact: 1, summary: 1 };

  it('is 1 for a middling memory at half strength, and moves by at most half the weights', () => {
    const m = makeMemory({ importance: 0.5, occurredAt: at(now.toISOString(), -14).toISOString() });
    assert.ok(Math.abs(rankFactor(m, now, both) - 1) < 1e-12);
    const best = makeMemory({ importance: 1, occurredAt: now.toISOString() });
    const worst = makeMemory({ importance: 0, occurredAt: '2000-01-01T00:00:00.000Z' });
    assert.ok(Math.abs(rankFactor(best, now, both) - 1.05) < 1e-9);
    assert.ok(Math.abs(rankFactor(worst, now, both) - 0.95) < 1e-6);
  });

  it('by default weighs importance only, and facts at the measured fact weight', () => {
    assert.equal(DEFAULT_RANK_WEIGHTS.strength, 0);
    const fresh = makeMemory({ importance: 0.7, occurredAt: now.toISOString() });
    const old = makeMemory({ importance: 0.7, occurredAt: '2000-01-01T00:00:00.000Z' });
    assert.equal(rankFactor(fresh, now), rankFactor(old, now));
    assert.ok(Math.abs(rankFactor(fresh, now) - (1 + DEFAULT_RANK_WEIGHTS.importance * 0.2)) < 1e-12);
    const fact = { ...fresh, kind: 'fact' as const };
    assert.ok(Math.abs(rankFactor(fact, now) - rankFactor(fresh, now) * DEFAULT_RANK_WEIGHTS.fact) < 1e-12);
  });

  it('ranks a superseded memory below the same memory still valid', () => {
    const valid = makeMemory({ occurredAt: now.toISOString() });
    const closed = { ...valid, validTo: '2023-12-01T00:00:00.000Z', supersededBy: 'X' };
    assert.ok(
      Math.abs(rankFactor(closed, now) - rankFactor(valid, now) * DEFAULT_RANK_WEIGHTS.superseded) < 1e-12,
    );
    // Closed only in the future (asOf queries about the past): not penalised.
    assert.equal(rankFactor({ ...valid, validTo: '2025-01-01T00:00:00.000Z' }, now), rankFactor(valid, now));
  });
});
