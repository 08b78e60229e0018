import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { Memory } from '../../core/types.js';
import { buildEntityGraph, type EntityNode, findEntity, type MemoryMentions } from '../../entities/graph.js';
import type { EntityMention, EntityType } from '../../entities/types.js';
import type { EngineContext } from '../engine-context.js';

/** Mentions read for one user's graph; beyond it the oldest are kept (a profile of the first 100k). */
const MAX_MENTIONS = 100_000;

/**
 * What memory knows about the people, places and things of one user: `entities` lists them, `profile` gives
 * one in full — current facts, superseded ones with their dates, the timeline of memories that mention it,
 * and the entities mentioned with it. Mentions are recognised when a memory is written and stored with it, with
 * "I"/"my" resolved to the memory's speaker.
 */
export interface EntitySummary {
  key: string;
  name: string;
  type: EntityType;
  aliases: string[];
  mentions: number;
  firstSeen: string;
  lastSeen: string;
}

export interface ProfileFact {
  id: string;
  text: string;
  validFrom: string;
  validTo: string | null;
  supersededBy: string | null;
}

export interface ProfileMention {
  id: string;
  kind: Memory['kind'];
  text: string;
  speaker: string | null;
  session: string | null;
  occurredAt: string;
  role: EntityMention['role'];
}

export interface EntityProfile {
  entity: EntitySummary;
  facts: { current: ProfileFact[]; superseded: ProfileFact[] };
  /** Memories that mention the entity, oldest first (at most `limit`, the latest kept). */
  timeline: ProfileMention[];
  related: EntityNode['related'];
}

export interface EntitiesOptions {
  user: string;
  /** Only entities of this type. */
  type?: EntityType;
  /** Default 100. */
  limit?: number;
}

export interface ProfileOptions {
  user: string;
  /** A name ("Ana"), an alias, a relation phrase ("my sister", "Maya's sister") or an entity key. */
  entity: string;
  /** Timeline entries, latest kept. Default 50. */
  limit?: number;
}

/** The user's entity graph from the mentions stored with each memory (one store read). */
async function graphOf(ctx: EngineContext, user: string) {
  const rows = await ctx.store.mentions({ tenant: ctx.tenant, user, limit: MAX_MENTIONS });
  const byMemory = new Map<string, MemoryMentions>();
  for (const r of rows) {
    let item = byMemory.get(r.memoryId);
    if (!item) {
      item = { memoryId: r.memoryId, occurredAt: r.occurredAt, session: null, mentions: [] };
      byMemory.set(r.memoryId, item);
    }
    item.mentions.push({
      key: r.key,
      name: r.name,
      type: r.type as EntityType,
      role: r.role as EntityMention['role'],
      ...(r.alias ? { alias: r.alias } : {}),
    });
  }
  return buildEntityGraph([...byMemory.values()]);
}

function checkUser(user: unknown): string {
  if (typeof user !== 'string' || user.trim() === '')
    throw new EngramError(ErrorCodes.INVALID_INPUT, 'user is required: the user whose entities to read');
  return user;
}

function summary(node: EntityNode): EntitySummary {
  return {
    key: node.key,
    name: node.name,
    type: node.type,
    aliases: node.aliases,
    mentions: node.mentions.length,
    firstSeen: node.mentions[0]?.occurredAt ?? '',
    lastSeen: node.mentions.at(-1)?.occurredAt ?? '',
  };
}

export async function listEntities(ctx: EngineContext, options: EntitiesOptions): Promise<EntitySummary[]> {
  const user = checkUser(options?.user);
  const graph = await graphOf(ctx, user);
  return [...graph.values()]
    .filter((n) => options.type === undefined || n.type === options.type)
    .map(summary)
    .sort((a, b) => b.mentions - a.mentions || a.name.localeCompare(b.name))
    .slice(0, options.limit ?? 100);
}

export async function entityProfile(ctx: EngineContext, options: ProfileOptions): Promise<EntityProfile> {
  const user = checkUser(options?.user);
  if (typeof options.entity !== 'string' || options.entity.trim() === '')
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      'entity is required: a name, alias or relation such as "my sister"',
    );
  const graph = await graphOf(ctx, user);
  const node = findEntity(graph, options.entity);
  if (!node)
    throw new EngramError(
      ErrorCodes.NOT_FOUND,
      `no entity "${options.entity}" in the memories of ${user}; list them with entities({ user })`,
    );
  const memories = await ctx.store.getMany(
    ctx.tenant,
    node.mentions.map((m) => m.memoryId),
  );
  const byId = new Map(memories.map((m) => [m.id, m]));
  const facts: EntityProfile['facts'] = { current: [], superseded: [] };
  const timeline: ProfileMention[] = [];
  for (const mention of node.mentions) {
    const m = byId.get(mention.memoryId);
    if (!m) continue;
    if (m.kind === 'fact') {
      const view = {
        id: m.id,
        text: m.text,
        validFrom: m.validFrom,
        validTo: m.validTo,
        supersededBy: m.supersededBy,
      };
      (m.validTo === null ? facts.current : facts.superseded).push(view);
      continue;
    }
    timeline.push({
      id: m.id,
      kind: m.kind,
      text: m.text,
      speaker: m.speaker,
      session: m.session,
      occurredAt: m.occurredAt,
      role: mention.role,
    });
  }
  const limit = options.limit ?? 50;
  return {
    entity: summary(node),
    facts,
    timeline: timeline.slice(-limit),
    related: node.related,
  };
}
