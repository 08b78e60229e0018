/**
 * What memory knows about the people, places and things in a user's life: the entities (most mentioned
 * first, filtered by type) and one entity's profile — current facts, superseded ones with their dates, the
 * memories that mention it over time, and the entities it comes up with.
 */
import { useState } from 'preact/hooks';
import { api, type EntityProfile, type EntitySummary } from '../api.js';
import { KindBadge, ShortDate } from '../components/memory.js';
import { Empty, ErrorBox, Loading } from '../components/states.js';
import { day, plural, when } from '../format.js';
import { useLoad } from '../load.js';
import { href } from '../router.js';
import { UserHeader } from './user-header.js';

const TYPES = ['person', 'place', 'organization', 'pet', 'work', 'activity'] as const;

/** "kin:maya:sister" reads as "Maya's sister"; other keys are names already listed. */
function aliasLabel(alias: string): string {
  const kin = /^kin:([^:]+):(.+)$/.exec(alias);
  if (!kin) return alias.replace(/^[a-z]+:/, '');
  const owner = kin[1] ?? '';
  return `${owner.charAt(0).toUpperCase()}${owner.slice(1)}'s ${kin[2]}`;
}

function EntityRow({ user, e }: { user: string; e: EntitySummary }) {
  return (
    <li>
      <a class="card entity-card" href={href({ view: 'entity', user, entity: e.key })}>
        <span class="entity-name">{e.name}</span> <span class={`badge type-${e.type}`}>{e.type}</span>
        {e.aliases.length > 0 ? (
          <span class="entity-aliases">also {e.aliases.map(aliasLabel).join(', ')}</span>
        ) : null}
        <span class="user-meta">
          {plural(e.mentions, 'memory', 'memories')} · {day(e.firstSeen)} – {day(e.lastSeen)}
        </span>
      </a>
    </li>
  );
}

export function EntitiesView({ user }: { user: string }) {
  const [type, setType] = useState('');
  const list = useLoad(() => api.entities(user, type || undefined), [user, type]);
  return (
    <section>
      <UserHeader user={user} current="entities" />
      <div class="toolbar">
        <label class="field narrow">
          <span>Type</span>
          <select value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
            <option value="">all</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div aria-busy={list.state === 'loading'}>
        {list.state === 'error' ? <ErrorBox error={list.error} retry={list.reload} /> : null}
        {list.state === 'loading' && !list.data ? <Loading rows={4} label="Loading entities" /> : null}
        {list.data ? (
          list.data.entities.length === 0 ? (
            <Empty title={type ? `No ${type} is mentioned in ${user}'s memories.` : 'No entities yet.'}>
              Entities are recognised as memories are stored: people, places, organisations, pets, works and
              activities.
            </Empty>
          ) : (
            <ul class="entity-list" aria-label={`Entities of ${user}`}>
              {list.data.entities.map((e) => (
                <EntityRow key={e.key} user={user} e={e} />
              ))}
            </ul>
          )
        ) : null}
      </div>
    </section>
  );
}

function Facts({ p }: { p: EntityProfile }) {
  const { current, superseded } = p.facts;
  if (current.length === 0 && superseded.length === 0) return null;
  return (
    <section aria-labelledby="entity-facts">
      <h2 id="entity-facts">Facts</h2>
      <ul class="entity-facts">
        {current.map((f) => (
          <li key={f.id} class="fact-current">
            <a href={href({ view: 'memory', id: f.id })}>{f.text}</a>{' '}
            <span class="muted small">since {day(f.validFrom)}</span>
          </li>
        ))}
        {superseded.map((f) => (
          <li key={f.id} class="fact-superseded">
            <span class="badge">superseded</span> <a href={href({ view: 'memory', id: f.id })}>{f.text}</a>{' '}
            <span class="muted small">
              true from {day(f.validFrom)} until {day(f.validTo)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function EntityView({ user, entity }: { user: string; entity: string }) {
  const data = useLoad(() => api.profile(user, entity, 200), [user, entity]);
  const p = data.data;
  return (
    <section>
      <UserHeader user={user} current="entity" />
      <p class="crumbs">
        <a href={href({ view: 'entities', user })}>Entities</a> /
      </p>
      {data.state === 'error' ? <ErrorBox error={data.error} retry={data.reload} /> : null}
      {data.state === 'loading' && !p ? <Loading rows={4} label="Loading the profile" /> : null}
      {p ? (
        <>
          <div class="view-head">
            <h1 class="entity-title">
              {p.entity.name} <span class={`badge type-${p.entity.type}`}>{p.entity.type}</span>
            </h1>
            <p class="lede">
              {plural(p.entity.mentions, 'memory', 'memories')} from {day(p.entity.firstSeen)} to{' '}
              {day(p.entity.lastSeen)}
              {p.entity.aliases.length > 0 ? ` · also ${p.entity.aliases.map(aliasLabel).join(', ')}` : ''}
            </p>
          </div>
          <Facts p={p} />
          <section aria-labelledby="entity-timeline">
            <h2 id="entity-timeline">Mentions over time</h2>
            {p.timeline.length === 0 ? (
              <Empty title="No memory mentions it any more." />
            ) : (
              <ol class="entity-timeline">
                {p.timeline.map((t) => (
                  <li key={t.id}>
                    <ShortDate iso={t.occurredAt} /> <KindBadge kind={t.kind} />{' '}
                    <span class={`badge role-${t.role}`}>{t.role}</span>{' '}
                    <span class="muted small">
                      {t.speaker ? `${t.speaker}` : ''}
                      {t.session ? ` · session ${t.session}` : ''}
                    </span>
                    <p class="memory-text">{t.text}</p>
                    <a
                      class="more"
                      href={href({ view: 'memory', id: t.id })}
                      aria-label={`Details of the ${t.kind} of ${when(t.occurredAt)}`}
                    >
                      Details →
                    </a>
                  </li>
                ))}
              </ol>
            )}
          </section>
          {p.related.length > 0 ? (
            <section aria-labelledby="entity-related">
              <h2 id="entity-related">Comes up with</h2>
              <ul class="entity-related">
                {p.related.map((r) => (
                  <li key={r.key}>
                    <a href={href({ view: 'entity', user, entity: r.key })}>{r.name}</a>{' '}
                    <span class="muted small">
                      {r.type}, in {plural(r.together, 'memory', 'memories')}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
