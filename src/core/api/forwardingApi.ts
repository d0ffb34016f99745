import type { SpheronApi } from './spheronApi';

/**
 * A SpheronApi that forwards every call to whatever `target()` returns at call time, so holders
 * keep working when the client is rebuilt (e.g. after `spheron.apiBaseUrl` changes).
 */
export function forwardingApi(target: () => SpheronApi): SpheronApi {
  return new Proxy({} as SpheronApi, {
    get(_unused, property) {
      const api = target();
      const value: unknown = Reflect.get(api, property, api);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(api) : value;
    },
  });
}
