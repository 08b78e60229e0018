import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Memory } from '../../src/core/types.js';
import { isInvitation } from '../../src/retrieve/invitation.js';
import { applySignals, DEFAULT_SIGNALS, type SignalConfig } from '../../src/retrieve/signals.js';
import { makeMemory } from '../helpers/memory-factory.js';
import { SIGNALS_OFF } from './signals-off.js';

describe('invitations to tell', () => {
  it('recognises a closing invitation in English and Chinese', () => {
    for (const t of [
      'Oh no, that sounds rough. You can talk to me about it whenever you like.',
      'Welcome back, Lena! Something good happened? I am listening, and I’m all ears!',
      'Wow, a new job! Please tell me everything!',
      'Sure, feel free to share it with me.',
      '别着急，你可以跟我说一说，我们一起想办法。',
      '真的吗？快和我讲讲！',
      '好呀，我洗耳恭听。',
    ]) {
      assert.ok(isInvitation(t), t);
    }
  });

  it('leaves reports, thanks and invitations the turn has moved past', () => {
    for (const t of [
      'My brother did not tell me about the trip.',
      'Thanks for telling me about the bakery.',
      'Tell me about it. Anyway, the train was late again.',
      'He said I could talk to my manager.',
      '他和我说过他要搬家了。',
      '谢谢你告诉我这些。',
    ]) {
      assert.ok(!isInvitation(t), t);
    }
  });

  it('reads only the end of a long turn: the closing invitation counts, one early in the turn does not', () => {
    const filler = 'we walked along the harbour and talked about the garden and the trip '.repeat(120);
    assert.ok(isInvitation(`${filler}. Anyway, you can talk to me about it whenever you like.`));
    assert.ok(!isInvitation(`You can talk to me about it. ${filler}.`));
  });
});

describe('an invitation hands its place to what the other speaker tells next', () => {
  // Every signal off but the hand-over this test is about.
  const OFF: SignalConfig = {
    ...SIGNALS_OFF,
    answerWeight: DEFAULT_SIGNALS.answerWeight,
    questionKeep: DEFAULT_SIGNALS.questionKeep,
  };
  const turns: { id: string; score: number; memory: Partial<Memory> }[] = [
    {
      id: 'opener',
      score: 1,
      memory: {
        speaker: 'Lena',
        text: 'I ran into a problem at work today.',
        occurredAt: '2024-03-02T09:00:00Z',
      },
    },
    {
      id: 'invite',
      score: 0.9,
      memory: {
        speaker: 'Bot',
        text: 'Sorry to hear about the problem. You can talk to me about it.',
        occurredAt: '2024-03-02T09:00:30Z',
      },
    },
    {
      id: 'told',
      score: 0.1,
      memory: {
        speaker: 'Lena',
        text: 'My laptop died an hour before the client demo.',
        occurredAt: '2024-03-02T09:02:00Z',
      },
    },
  ];

  function rank(config: Partial<SignalConfig>) {
    const candidates = turns.map((t) => ({ id: t.id, score: t.score, signals: {} }));
    const memories = new Map(turns.map((t) => [t.id, makeMemory({ id: t.id, kind: 'turn', ...t.memory })]));
    return applySignals(candidates, memories, {
      query: 'what problem did I have at work?',
      now: new Date('2024-03-10T00:00:00Z'),
      config: { ...OFF, ...config },
    });
  }

  it('the told turn leads its session, just above the opener, and the invitation keeps questionKeep', () => {
    const out = rank({ answerWeight: 1.2, questionKeep: 0.9 });
    assert.deepEqual(
      out.map((s) => s.memory.id),
      ['told', 'opener', 'invite'],
    );
    assert.equal(out[0]!.score, 1 + 1e-6);
    assert.equal(out[2]!.score, 0.9 * 0.9);
  });

  it('without the hand-over the opener stays first', () => {
    assert.deepEqual(
      rank({ answerWeight: 0, questionKeep: 1 }).map((s) => s.memory.id),
      ['opener', 'invite', 'told'],
    );
  });
});
