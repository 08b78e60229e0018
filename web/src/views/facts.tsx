/** A user's facts: the current ones first, each with the turns it came from and what it replaced. */
import { useState } from 'preact/hooks';
import { api, type Memory } from '../api.js';
import { EventTimes, MemoryCard } from '../components/memory.js';
import { Empty, ErrorBox, Loading } from '../components/states.js';
import { day, sourceIds, when } from '../format.js';
import { useLoad } from '../load.js';
import { href } from '../router.js';
import { UserHeader } from './user-header.js';

interface FactData {
  facts: Memory[];
  turns: Map<string, Memory>;
}

async function loadFacts(user: string): Promise<FactData> {
  const [facts, turns] = await Promise.all([
    api.listAll({ user, kind: 'fact', includeSuperseded: true, includeArchived: true }),
    api.listAll({ user, kind: 'turn', includeSuperseded: true, includeArchived: true }),
  ]);
  return { facts, turns: new Map(turns.map((t) => [t.id, t])) };
}

const current = (m: Memory) => m.validTo === null && m.status === 'active';

export function Sources({ ids, turns }: { ids: string[]; turns: Map<string, Memory> }) {
  if (ids.length === 0) return null;
  return (
    <ul class="sources" aria-label="Where it came from">
      {ids.map((id) => {
        const t = turns.get(id);
        return (
          <li key={id}>
            {t ? (
              <>
                <span class="source-said">
                  {t.speaker ?? 'someone'} said, {when(t.occurredAt)}
                  {t.session ? ` (session ${t.session})` : ''}:
                </span>{' '}
                <q>{t.text}</q> <a href={href({ view: 'memory', id })}>turn</a>
              </>
            ) : (
              <span class="muted">a turn that is no longer stored ({id})</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export function FactsView({ user }: { user: string }) {
  const data = useLoad(() => loadFacts(user), [user]);
  const [showOld, setShowOld] = useState(false);
  return (
    <section>
      <UserHeader user={user} current="facts" />
      <div class="toolbar">
        <label class="check">
          <input
            type="checkbox"
            checked={showOld}
            onChange={(e) => setShowOld((e.target as HTMLInputElement).checked)}
          />
          Also list superseded and archived facts on their own
        </label>
      </div>
      {data.state === 'error' ? <ErrorBox error={data.error} retry={data.reload} /> : null}
      {data.state === 'loading' && !data.data ? <Loading rows={4} label="Loading facts" /> : null}
      {data.data
        ? (() => {
            const { facts, turns } = data.data;
            const replacedBy = new Map<string, Memory[]>();
            for (const f of facts) {
              if (f.supersededBy)
                replacedBy.set(f.supersededBy, [...(replacedBy.get(f.supersededBy) ?? []), f]);
            }
            const shown = facts
              .filter((f) => showOld || current(f))
              .sort((a, b) => b.validFrom.localeCompare(a.validFrom) || b.id.localeCompare(a.id));
            if (shown.length === 0)
              return (
                <Empty title="No facts yet.">
                  Facts are extracted when conversations are ingested; notes and turns are on the timeline.
                </Empty>
              );
            return (
              <ul class="fact-list">
                {shown.map((f) => (
                  <li key={f.id}>
                    <MemoryCard m={f}>
                      <Sources ids={sourceIds(f)} turns={turns} />
                      {replacedBy.get(f.id) ? (
                        <ul class="chain" aria-label="What it replaced">
                          {replacedBy.get(f.id)!.map((old) => (
                            <li key={old.id}>
                              replaced <a href={href({ view: 'memory', id: old.id })}>“{old.text}”</a>{' '}
                              <span class="muted">
                                (true from {day(old.validFrom)} until {day(old.validTo)})
                              </span>
                              <EventTimes m={old} saidAt={old.validFrom} />
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </MemoryCard>
                  </li>
                ))}
              </ul>
            );
          })()
        : null}
    </section>
  );
}
