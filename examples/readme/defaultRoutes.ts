import { filter, map, type Observable } from 'rxjs';
import { type MonitorOptions, monitor, Overrun } from '../../src/index.js';

/** One line per change of an IPv4 default route; lost notifications say so and it goes on. */
export function defaultRoutes(options: Partial<MonitorOptions> = {}): Observable<string> {
  return monitor({ ...options, kinds: ['route'], family: 'inet' }).pipe(
    filter((e) => e instanceof Overrun || (e.kind === 'route' && e.route.dst === 'default')),
    map((e) => {
      if (e instanceof Overrun) return `lost ${e.lost} notifications`;
      if (e.kind !== 'route') return '';
      return `${e.action} default via ${e.route.gateway ?? '-'} dev ${e.route.dev ?? '-'}`;
    }),
  );
}
