// Method + path-template routing ("/api/v3/downloadclient/{id}") for the fakes. Literal segments
// beat templated ones, so "/downloadclient/schema" is never taken for an id.

/**
 * @typedef {import('./server.js').FakeRequest & { params: Record<string, string> }} RoutedRequest
 * @typedef {(req: RoutedRequest) => import('./server.js').FakeResponse | Promise<import('./server.js').FakeResponse>} RouteHandler
 */

/** @param {string} template @param {{ ignoreCase?: boolean }} [how] ASP.NET routing ignores case */
export function compileTemplate(template, how = {}) {
  /** @type {string[]} */
  const names = [];
  const source = template
    .split('/')
    .map((segment) =>
      segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name) => {
        names.push(name);
        return '([^/]+)';
      }),
    )
    .join('/');
  const literalSegments = template.split('/').filter((s) => s !== '' && !s.includes('{')).length;
  return { template, regex: new RegExp(`^${source}/?$`, how.ignoreCase ? 'i' : ''), names, literalSegments };
}

/**
 * @param {ReturnType<typeof compileTemplate>} compiled
 * @param {string} path
 * @returns {Record<string, string> | undefined}
 */
export function matchTemplate(compiled, path) {
  const m = compiled.regex.exec(path);
  if (!m) return undefined;
  return Object.fromEntries(compiled.names.map((n, i) => [n, decodeURIComponent(/** @type {string} */ (m[i + 1]))]));
}

/** @param {{ ignoreCase?: boolean }} [how] */
export function createRouter(how = {}) {
  /** @type {{ method: string, compiled: ReturnType<typeof compileTemplate>, handler: RouteHandler }[]} */
  const routes = [];
  return {
    /** @param {string} method e.g. 'GET' (or '*') @param {string} template @param {RouteHandler} handler */
    on(method, template, handler) {
      routes.push({ method: method.toUpperCase(), compiled: compileTemplate(template, how), handler });
      routes.sort((a, b) => b.compiled.literalSegments - a.compiled.literalSegments);
      return this;
    },
    /**
     * The matching route, or why none matched: 'path' (404) or 'method' (405).
     * @param {string} method @param {string} path
     * @returns {{ miss: undefined, handler: RouteHandler, params: Record<string, string>, template: string } | { miss: 'path' | 'method', handler?: undefined, params?: undefined, template?: undefined }}
     */
    find(method, path) {
      let pathMatched = false;
      for (const route of routes) {
        const params = matchTemplate(route.compiled, path);
        if (!params) continue;
        pathMatched = true;
        if (route.method === method.toUpperCase() || route.method === '*' || (method.toUpperCase() === 'HEAD' && route.method === 'GET')) {
          return { miss: undefined, handler: route.handler, params, template: route.compiled.template };
        }
      }
      return { miss: pathMatched ? 'method' : 'path' };
    },
    /**
     * Runs the matching route; `onMiss` answers when none matches.
     * @param {import('./server.js').FakeRequest} req
     * @param {(miss: 'path' | 'method') => import('./server.js').FakeResponse} onMiss
     */
    dispatch(req, onMiss) {
      const route = this.find(req.method, req.path);
      return route.miss ? onMiss(route.miss) : route.handler({ ...req, params: route.params });
    },
  };
}
