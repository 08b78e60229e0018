/**
 * Hash routes (#/u/maya/facts): the server serves one page, and nothing secret ever goes into the URL —
 * only user names and memory ids, which are what a person would share to point at a record.
 */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { view: 'users' }
  | { view: 'timeline'; user: string }
  | { view: 'facts'; user: string }
  | { view: 'entities'; user: string }
  | { view: 'entity'; user: string; entity: string }
  | { view: 'search'; user?: string }
  | { view: 'memory'; id: string }
  | { view: 'data' }
  | { view: 'admin' };

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  const [head, a, b, c] = parts;
  if (head === 'u' && a) {
    if (b === 'facts') return { view: 'facts', user: a };
    if (b === 'entities') return { view: 'entities', user: a };
    if (b === 'e' && c) return { view: 'entity', user: a, entity: c };
    if (b === 'search') return { view: 'search', user: a };
    return { view: 'timeline', user: a };
  }
  if (head === 'm' && a) return { view: 'memory', id: a };
  if (head === 'search') return { view: 'search' };
  if (head === 'data') return { view: 'data' };
  if (head === 'admin') return { view: 'admin' };
  return { view: 'users' };
}

export function href(route: Route): string {
  const e = encodeURIComponent;
  switch (route.view) {
    case 'users':
      return '#/';
    case 'timeline':
      return `#/u/${e(route.user)}`;
    case 'facts':
      return `#/u/${e(route.user)}/facts`;
    case 'entities':
      return `#/u/${e(route.user)}/entities`;
    case 'entity':
      return `#/u/${e(route.user)}/e/${e(route.entity)}`;
    case 'search':
      return route.user ? `#/u/${e(route.user)}/search` : '#/search';
    case 'memory':
      return `#/m/${e(route.id)}`;
    case 'data':
      return '#/data';
    case 'admin':
      return '#/admin';
  }
}

export function go(route: Route): void {
  location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
