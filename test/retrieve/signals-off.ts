import { DEFAULT_SIGNALS, type SignalConfig } from '../../src/retrieve/signals.js';

/**
 * Every re-scoring signal off (bonuses 0, the question keeps its whole score), so that a test turns on only the
 * one it is about; the non-bonus settings (sessionTopN, softMatchFloor) keep their defaults.
 */
export const SIGNALS_OFF: SignalConfig = {
  ...DEFAULT_SIGNALS,
  sessionWeight: 0,
  dateBonus: 0,
  durationBonus: 0,
  timeRangeBonus: 0,
  vagueTimeBonus: 0,
  eventTimeBonus: 0,
  conversationBonus: 0,
  answerWeight: 0,
  questionKeep: 1,
  speakerBonus: 0,
  softMatchWeight: 0,
};
