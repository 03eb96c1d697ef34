/**
 * "Convert to Gateway API": an Ingress as a Gateway (when none in the workspace fits) and
 * HTTPRoutes, following ingress2gateway's documented conversion and mapping the ingress-nginx
 * annotations that have Gateway API equivalents (docs/dev/gateway-api.md §8). The result is plain
 * objects and notes; `convertAction.ts` writes them in the file's language.
 */

import type { CheckContext } from '../checks/support/check.js';
import { acceptsNamespace, listenerAdmitsHostnames } from '../checks/gateway/resolve.js';
import { hostCovered } from '../checks/support/ingressTls.js';
import { servicesNamed } from '../checks/support/serviceTargets.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { GatewayListener } from '../model/gateway.js';
import { acceptsKind } from '../model/gateway.js';
import { backendPort } from '../model/servicePorts.js';
import type { IngressBackend, IngressPath, KObject } from '../model/types.js';
import type { Conversion, Group, Listeners, Match, Obj } from './ingressFacts.js';
import { GATEWAY_API_VERSION, ingressClass, isCanary, literal, nameFromHost } from './ingressFacts.js';
import {
  backendProtocolNote,
  cookieCanaryHeader,
  corsFilter,
  grpcRoute,
  redirectFilter,
  routeHostnames,
  wwwGroups,
  wwwRedirectRoute,
} from './nginxExtras.js';
import { backendTlsPolicies, ruleTimeouts, timeoutsNote } from './nginxUpstream.js';
import { passthroughConversion } from './passthrough.js';
import {
  boolAnnotation,
  CARRIED,
  GATEWAY_SHIM,
  isControllerAnnotation,
  looksLikeRegex,
  MAPPED,
  NGINX,
  prefixRewrite,
  unmappedReason,
} from './nginxAnnotations.js';

export class IngressConverter {
  private readonly notes: string[] = [];
  private readonly o: KObject;
  private readonly ns: string | undefined;
  /** metadata.namespace as the Ingress writes it (the new objects follow it). */
  private readonly explicitNs: string | undefined;
  private readonly ann: ReadonlyMap<string, string>;
  /** enable-cors and the cors-* annotations as a CORS filter on every rule that routes. */
  private cors: Obj | undefined;
  /** The proxy-*-timeout annotations as the `timeouts` of every rule that forwards (nginxUpstream.ts). */
  private timeouts: Obj | undefined;
  /** Annotations of the families that usually stay notes (timeouts, backend TLS) this conversion used. */
  private readonly converted = new Set<string>();

  constructor(
    private readonly ctx: CheckContext,
    private readonly placed: Placed,
  ) {
    this.o = placed.obj;
    const pl = placed.placements[0];
    this.ns = pl === undefined || pl.floating ? undefined : pl.namespace;
    this.explicitNs = this.o.namespace?.known === true ? this.o.namespace.value : undefined;
    this.ann = this.o.annotations;
  }

  private a(name: string): string | undefined {
    return this.ann.get(NGINX + name);
  }

  private meta(name: string, annotations?: Obj): Obj {
    const m: Obj = { name };
    if (this.explicitNs !== undefined) m['namespace'] = this.explicitNs;
    if (annotations !== undefined && Object.keys(annotations).length > 0) m['annotations'] = annotations;
    return m;
  }

  /** Undefined when the Ingress cannot be converted (templated, a canary, nothing to route). */
  convert(): Conversion | undefined {
    const o = this.o;
    const ing = o.ingress;
    if (ing === undefined || !literal(o) || isCanary(o)) return undefined;
    const name = o.name?.known === true ? o.name.value : '';
    const groups = this.groups();
    if (groups.length === 0 && ing.defaultBackend === undefined) return undefined;
    if (boolAnnotation(this.a('ssl-passthrough')) === true)
      return passthroughConversion({
        ctx: this.ctx,
        ns: this.ns,
        name,
        cls: ingressClass(o),
        groups,
        annotations: this.ann,
        defaultBackend: ing.defaultBackend !== undefined,
        notes: this.notes,
        meta: (n) => this.meta(n),
        backendRefs: (b, where) => this.backendRefs(b, where),
        gatewayNameTaken: (n) => this.gatewayNameTaken(n),
      });
    const a = (n: string): string | undefined => this.a(n);
    const grpc = this.grpcBackends();
    const policies = backendTlsPolicies(
      a,
      this.explicitNs ?? this.ns,
      this.serviceNames(),
      (n) => this.meta(n),
      this.converted,
      this.notes,
    );
    // HTTPS (or GRPCS as GRPCRoutes) with its BackendTLSPolicy says all backend-protocol asks.
    if (policies.length > 0 && (grpc || a('backend-protocol')?.trim().toUpperCase() === 'HTTPS'))
      this.converted.add(`${NGINX}backend-protocol`);
    // GRPCRoutes have no timeouts field: the timeout annotations stay notes there.
    this.timeouts = grpc ? undefined : ruleTimeouts(a, this.converted, this.notes);
    if (typeof this.timeouts?.['request'] === 'string') this.notes.push(timeoutsNote(this.timeouts['request']));
    this.annotationNotes();
    this.cors = corsFilter(a, this.notes);

    const cls = ingressClass(o);
    const redirectOf = (g: Group): boolean => {
      const ssl = boolAnnotation(this.a('ssl-redirect'));
      const force = boolAnnotation(this.a('force-ssl-redirect'));
      return g.secrets.length > 0 && (ssl !== false || force === true);
    };
    if (boolAnnotation(this.a('force-ssl-redirect')) === true && groups.some((g) => g.secrets.length === 0))
      this.notes.push(
        `${NGINX}force-ssl-redirect on hosts without TLS here: TLS ends in front of the Gateway; redirect there, or add a RequestRedirect rule by hand`,
      );

    for (const g of groups)
      if (g.host.startsWith('*.'))
        this.notes.push(`host ${g.host}: a Gateway API wildcard matches any number of labels, an Ingress wildcard exactly one`);
    const existing = this.fittingGateway(groups, redirectOf);
    if (existing !== undefined) {
      const secrets = [...new Set(groups.flatMap((g) => g.secrets))];
      if (secrets.length > 0)
        this.notes.push(
          `TLS Secret ${secrets.join(', ')}: not used; the listeners of Gateway ${existing.label} bring their own certificates`,
        );
    }
    const www = wwwGroups(groups, boolAnnotation(this.a('from-to-www-redirect')) === true, existing?.label, this.notes);
    const objects: Obj[] = [];
    let parents: (g: Group) => Listeners;
    let gatewayName: string;
    if (existing !== undefined) {
      gatewayName = existing.label;
      parents = existing.parents;
    } else {
      const taken = this.ns === undefined ? false : this.gatewayNameTaken(cls);
      gatewayName = taken ? `${cls}-${name}` : cls;
      if (taken)
        this.notes.push(
          `Gateway ${cls} exists but has no listeners for these hosts: a new Gateway ${gatewayName} is written (or add the listeners to ${cls})`,
        );
      const built = this.gatewayObject(gatewayName, cls, [...groups, ...www], ing.defaultBackend !== undefined);
      objects.push(built.gateway);
      parents = built.parents;
    }

    let routes = 0;
    for (const g of groups) {
      const routeName = `${name}-${nameFromHost(g.host)}`;
      const p = parents(g);
      const hostnames = routeHostnames(g.host, this.a('server-alias'));
      if (grpc) {
        objects.push(grpcRoute(this.meta(routeName), this.withoutSection(p.http), hostnames, g, (b, w) => this.backendRefs(b, w)));
        routes++;
        continue;
      }
      const redirect = redirectOf(g) && p.https !== undefined;
      const spec: Obj = { parentRefs: [redirect && p.https !== undefined ? p.https : this.withoutSection(p.http)] };
      if (hostnames.length > 0) spec['hostnames'] = hostnames;
      spec['rules'] = this.rules(g);
      objects.push({ apiVersion: GATEWAY_API_VERSION, kind: 'HTTPRoute', metadata: this.meta(routeName), spec });
      routes++;
      if (redirect) {
        const rspec: Obj = { parentRefs: [p.http] };
        if (hostnames.length > 0) rspec['hostnames'] = hostnames;
        rspec['rules'] = [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }];
        objects.push({ apiVersion: GATEWAY_API_VERSION, kind: 'HTTPRoute', metadata: this.meta(`${routeName}-ssl-redirect`), spec: rspec });
        routes++;
      }
    }
    for (const w of www) {
      objects.push(wwwRedirectRoute(`${name}-${nameFromHost(w.host)}-www-redirect`, w.host, parents(w), (n) => this.meta(n)));
      routes++;
    }
    if (ing.defaultBackend !== undefined) {
      const refs = this.backendRefs([ing.defaultBackend], 'defaultBackend');
      // The catch-all route references the listener without hostname (ingress2gateway's README), so it
      // never competes with the host routes on their listeners.
      const parent = existing?.any ?? parents({ host: '', paths: [], secrets: [] }).http;
      objects.push({
        apiVersion: GATEWAY_API_VERSION,
        kind: 'HTTPRoute',
        metadata: this.meta(`${name}-default-backend`),
        spec: { parentRefs: [parent], rules: [refs.length > 0 ? { backendRefs: refs, ...this.timeoutsField() } : {}] },
      });
      routes++;
    }
    return { objects: objects.concat(policies), gatewayWritten: existing === undefined, gateway: gatewayName, routes, notes: this.notes };
  }

  private timeoutsField(): Obj {
    return this.timeouts === undefined ? {} : { timeouts: this.timeouts };
  }

  /** The Service names the Ingress's paths and default backend name, in order. */
  private serviceNames(): string[] {
    const backends = [...this.groups().flatMap((g) => g.paths.map((p) => p.path.backend)), this.o.ingress?.defaultBackend];
    return [...new Set(backends.flatMap((b) => (b?.serviceName?.known === true && !b.resource ? [b.serviceName.value] : [])))];
  }

  private withoutSection(ref: Obj): Obj {
    const out: Obj = {};
    for (const [k, v] of Object.entries(ref)) if (k !== 'sectionName') out[k] = v;
    return out;
  }

  /** The Ingress's rules by host, in the order hosts first appear; TLS secrets per host. */
  private groups(): Group[] {
    const ing = this.o.ingress;
    const out: Group[] = [];
    if (ing === undefined) return out;
    for (const r of ing.rules) {
      const host = r.host?.known === true ? r.host.value.toLowerCase() : '';
      let g = out.find((x) => x.host === host);
      if (g === undefined) {
        const secrets: string[] = [];
        for (const t of ing.tls) {
          const covers = host === '' ? t.hosts.length === 0 : hostCovered(host, t.hosts);
          const secret = t.secretName?.known === true ? t.secretName.value : undefined;
          if (covers && secret !== undefined && secret !== '' && !secrets.includes(secret)) secrets.push(secret);
        }
        g = { host, paths: [], secrets };
        out.push(g);
      }
      for (const p of r.paths) g.paths.push({ path: p, ingress: this.o });
    }
    return out.filter((g) => g.paths.length > 0);
  }

  /** Notes for the controller annotations the conversion does not map. */
  private annotationNotes(): void {
    const keys = [...this.ann.keys()].sort();
    for (const k of keys) {
      if (MAPPED.has(k) || CARRIED.has(k) || this.converted.has(k) || !isControllerAnnotation(k)) continue;
      if (k === `${NGINX}backend-protocol`) {
        const services = [...new Set(this.groups().flatMap((g) => g.paths.map((p) => p.path.backend?.serviceName)))];
        const note = backendProtocolNote(
          this.ann.get(k) ?? '',
          services.flatMap((v) => (v?.known === true ? [v.value] : [])),
          this.grpcBackends(),
        );
        if (note !== undefined) this.notes.push(note);
        continue;
      }
      this.notes.push(`${k}: ${unmappedReason(k)}`);
    }
    if (this.a('permanent-redirect') !== undefined && this.a('temporal-redirect') !== undefined)
      this.notes.push(`${NGINX}permanent-redirect: ignored beside temporal-redirect (ingress-nginx applies temporal-redirect)`);
  }

  /** Is a Gateway named `name` already in the Ingress's namespace? */
  private gatewayNameTaken(name: string): boolean {
    return (
      this.ns !== undefined &&
      this.ctx.index.objectsIn(this.ns).some((p) => p.obj.gateway !== undefined && p.obj.name?.known === true && p.obj.name.value === name)
    );
  }

  /**
   * A Gateway of the workspace whose listeners take every route this conversion writes: for each
   * host an HTTP listener (and an HTTPS one when the host has TLS) that admits HTTPRoutes from the
   * Ingress's namespace and the host. Gateways of the Ingress's namespace first, then by namespace.
   */
  private fittingGateway(
    groups: readonly Group[],
    redirectOf: (g: Group) => boolean,
  ): { label: string; parents: (g: Group) => Listeners; any: Obj } | undefined {
    if (this.ns === undefined) return undefined;
    const namespaces = [
      this.ns,
      ...this.ctx.index
        .namespaceNames()
        .filter((n) => n !== this.ns)
        .sort(),
    ];
    for (const ns of namespaces) {
      const gws = this.ctx.index
        .objectsIn(ns)
        .filter((p) => p.obj.gateway !== undefined && p.obj.name?.known === true && !p.obj.gateway.listenersUnknown)
        .sort((a, b) => (a.obj.name?.known === true && b.obj.name?.known === true ? a.obj.name.value.localeCompare(b.obj.name.value) : 0));
      for (const gw of gws) {
        const gwName = gw.obj.name?.known === true ? gw.obj.name.value : '';
        const base: Obj = ns === this.ns ? { name: gwName } : { name: gwName, namespace: ns };
        const pick = (g: Group, protocol: string): GatewayListener | undefined =>
          gw.obj.gateway?.listeners.find(
            (l) =>
              !l.unknown &&
              l.protocol === protocol &&
              l.name?.known === true &&
              acceptsKind(l, 'HTTPRoute') === 'yes' &&
              acceptsNamespace(this.ctx, l, ns, this.ns) === 'yes' &&
              listenerAdmitsHostnames(l, g.host === '' ? undefined : [{ known: true, value: g.host }]) === 'yes',
          );
        const fits = groups.every((g) => pick(g, 'HTTP') !== undefined && (g.secrets.length === 0 || pick(g, 'HTTPS') !== undefined));
        if (!fits) continue;
        const section = (l: GatewayListener | undefined): Obj => (l?.name?.known === true ? { ...base, sectionName: l.name.value } : base);
        return {
          label: ns === this.ns ? gwName : `${ns}/${gwName}`,
          parents: (g) => ({ http: section(pick(g, 'HTTP')), https: redirectOf(g) ? section(pick(g, 'HTTPS')) : undefined }),
          any: base,
        };
      }
    }
    return undefined;
  }

  /** The Gateway ingress2gateway writes: per host an HTTP listener on 80 and, with TLS, an HTTPS one on 443. */
  private gatewayObject(
    name: string,
    cls: string,
    groups: readonly Group[],
    defaultBackend: boolean,
  ): { gateway: Obj; parents: (g: Group) => Listeners } {
    const listeners: Obj[] = [];
    const names = new Map<string, { http: string; https: string | undefined }>();
    const used = new Set<string>();
    const unique = (n: string): string => {
      let out = n;
      for (let i = 2; used.has(out); i++) out = `${n}-${i}`;
      used.add(out);
      return out;
    };
    const add = (host: string, secrets: readonly string[]): void => {
      const prefix = host === '' ? '' : `${nameFromHost(host)}-`;
      const http = unique(`${prefix}http`);
      const l: Obj = { name: http };
      if (host !== '') l['hostname'] = host;
      l['port'] = 80;
      l['protocol'] = 'HTTP';
      listeners.push(l);
      let https: string | undefined;
      if (secrets.length > 0) {
        https = unique(`${prefix}https`);
        const s: Obj = { name: https };
        if (host !== '') s['hostname'] = host;
        s['port'] = 443;
        s['protocol'] = 'HTTPS';
        s['tls'] = { mode: 'Terminate', certificateRefs: secrets.map((x) => ({ name: x })) };
        listeners.push(s);
      }
      names.set(host, { http, https });
    };
    for (const g of groups) add(g.host, g.secrets);
    if (defaultBackend && !names.has('')) add('', []);
    const annotations: Obj = {};
    for (const k of GATEWAY_SHIM) {
      const v = this.ann.get(k);
      if (v !== undefined) annotations[k] = v;
    }
    const gateway: Obj = {
      apiVersion: GATEWAY_API_VERSION,
      kind: 'Gateway',
      metadata: this.meta(name, annotations),
      spec: { gatewayClassName: cls, listeners },
    };
    return {
      gateway,
      parents: (g) => {
        const n = names.get(g.host);
        return {
          http: { name, sectionName: n?.http ?? 'http' },
          https: n?.https === undefined ? undefined : { name, sectionName: n.https },
        };
      },
    };
  }

  /** How a path matches: Exact, PathPrefix, or a regular expression where ingress-nginx reads one. */
  private match(p: IngressPath): Match {
    const value = p.path?.known === true && p.path.value !== '' ? p.path.value : '/';
    const rewrite = this.a('rewrite-target');
    const regexMode = boolAnnotation(this.a('use-regex')) === true || rewrite !== undefined;
    if (p.pathType === 'Exact') return { type: 'Exact', value };
    if (regexMode && looksLikeRegex(value)) {
      if (rewrite !== undefined && rewrite.includes('$')) {
        const idiom = prefixRewrite(value, rewrite);
        if (idiom !== undefined) return { type: 'PathPrefix', value: idiom.prefix, replacePrefix: idiom.replace };
      }
      // ingress-nginx writes such a path as `location ~* "^<path>"`: case-insensitive, matching any
      // path that starts with a match (ingress-nginx's "Ingress Path Matching"); ingress2gateway writes
      // the same pattern, in RE2 syntax, which most implementations' regular expressions read.
      return { type: 'RegularExpression', value: `(?i)${value}.*`, path: value };
    }
    return { type: 'PathPrefix', value };
  }

  private rules(g: Group): Obj[] {
    const out: Obj[] = [];
    const appRoot = this.a('app-root');
    // ingress-nginx answers a request for exactly `/` with the app-root redirect: a path of the host
    // that matches `/` exactly would never be reached, so its rule is not written (one rule per match).
    let rootRedirected = false;
    if (appRoot !== undefined) {
      rootRedirected = appRoot.startsWith('/') && !/[\s?#]/.test(appRoot);
      if (rootRedirected)
        out.push({
          matches: [{ path: { type: 'Exact', value: '/' } }],
          filters: [
            { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: appRoot }, statusCode: 302 } },
          ],
        });
      else this.notes.push(`${NGINX}app-root: "${appRoot}" is not a path`);
    }
    const redirect = redirectFilter((n) => this.a(n), this.notes);
    const byKey = new Map<string, { match: Match; paths: IngressPath[] }>();
    for (const { path } of g.paths) {
      const m = this.match(path);
      const key = `${m.type}\u0000${m.value}`;
      const entry = byKey.get(key) ?? { match: m, paths: [] };
      entry.paths.push(path);
      byKey.set(key, entry);
    }
    for (const { match, paths } of byKey.values()) {
      if (rootRedirected && match.type === 'Exact' && match.value === '/') continue;
      const canary = this.canaryRules(g.host, match);
      for (const c of canary.headerRules) out.push(c);
      const rule: Obj = { matches: [{ path: { type: match.type, value: match.value } }] };
      if (redirect !== undefined) {
        rule['filters'] = [redirect];
        out.push(rule);
        continue;
      }
      const filters = this.filters(match);
      if (filters.length > 0) rule['filters'] = filters;
      const refs = this.backendRefs(
        paths.flatMap((p) => (p.backend === undefined ? [] : [p.backend])),
        `path ${match.value}`,
      );
      if (canary.weighted.length > 0 && refs.length > 0) {
        for (const r of refs) r['weight'] = canary.mainWeight;
        for (const r of canary.weighted) refs.push(r);
      }
      if (refs.length > 0) Object.assign(rule, { backendRefs: refs, ...this.timeoutsField() });
      out.push(rule);
    }
    return out;
  }

  private filters(m: Match): Obj[] {
    const out: Obj[] = [];
    const rewrite = this.a('rewrite-target');
    const vhost = this.a('upstream-vhost');
    const urlRewrite: Obj = {};
    if (vhost !== undefined && vhost.trim() !== '') urlRewrite['hostname'] = vhost.trim();
    if (m.replacePrefix !== undefined) urlRewrite['path'] = { type: 'ReplacePrefixMatch', replacePrefixMatch: m.replacePrefix };
    else if (rewrite !== undefined) {
      if (!rewrite.includes('$')) urlRewrite['path'] = { type: 'ReplaceFullPath', replaceFullPath: rewrite };
      else {
        const note = `${NGINX}rewrite-target: "${rewrite}" uses capture groups of path ${m.path ?? m.value}; Gateway API rewrites have no regular expressions`;
        if (!this.notes.includes(note)) this.notes.push(note);
      }
    }
    if (Object.keys(urlRewrite).length > 0) out.push({ type: 'URLRewrite', urlRewrite });
    // Request headers ingress-nginx sets toward the upstream; one RequestHeaderModifier (a rule may not repeat it).
    const set: Obj[] = [];
    const prefix = this.a('x-forwarded-prefix');
    if (prefix !== undefined && prefix !== '') set.push({ name: 'X-Forwarded-Prefix', value: prefix });
    const connection = this.a('connection-proxy-header')?.trim();
    if (connection !== undefined && connection !== '') set.push({ name: 'Connection', value: connection });
    if (set.length > 0) out.push({ type: 'RequestHeaderModifier', requestHeaderModifier: { set } });
    if (this.cors !== undefined) out.push(this.cors);
    return out;
  }

  /** A backend as a backendRef (named ports resolved through the workspace's Service). */
  private backendRefs(backends: readonly IngressBackend[], where: string): Obj[] {
    const out: Obj[] = [];
    const pl = this.placed.placements[0];
    for (const b of backends) {
      // A resource backend (a storage bucket, …) is a backendRef of its group and kind, without a port:
      // which kinds a Gateway forwards to is implementation-specific (ingress2gateway writes it the same way).
      if (b.resource && b.resourceRef !== undefined) {
        const r = b.resourceRef;
        out.push({ group: r.apiGroup, kind: r.kind, name: r.name });
        continue;
      }
      if (b.resource || b.serviceName?.known !== true) {
        this.notes.push(`${where}: a resource backend has no Gateway API equivalent here (write its backendRef by hand)`);
        continue;
      }
      const svc = b.serviceName.value;
      let port = b.portNumber?.known === true ? b.portNumber.value : undefined;
      if (port === undefined && b.portName?.known === true && pl !== undefined) {
        const found = servicesNamed(this.ctx.index, pl, svc)
          .map((s) => backendPort(s.obj.service?.ports ?? [], b))
          .find((sp) => sp?.port?.known === true);
        port = found?.port?.known === true ? found.port.value : undefined;
        if (port === undefined) {
          this.notes.push(
            `${where}: Service ${svc} port "${b.portName.value}" is a name and no Service here says its number (backendRefs need one)`,
          );
          continue;
        }
      }
      if (port === undefined) continue;
      if (!out.some((r) => r['name'] === svc && r['port'] === port)) out.push({ name: svc, port });
    }
    return out;
  }

  /**
   * `backend-protocol: GRPC`/`GRPCS`: the hosts become GRPCRoutes (as ingress2gateway converts them),
   * unless an annotation asks for an HTTP filter or a canary Ingress splits a path (GRPCRoute rules
   * have neither here): then HTTPRoutes and the note.
   */
  private grpcBackends(): boolean {
    if (!/^GRPCS?$/i.test(this.a('backend-protocol')?.trim() ?? '')) return false;
    const http = ['rewrite-target', 'permanent-redirect', 'temporal-redirect', 'app-root', 'x-forwarded-prefix', 'upstream-vhost'];
    if (
      http.some((a) => this.a(a) !== undefined) ||
      boolAnnotation(this.a('enable-cors')) === true ||
      this.a('connection-proxy-header') !== undefined
    )
      return false;
    if (this.ns === undefined) return true;
    return !this.ctx.index.objectsIn(this.ns).some((p) => p.obj !== this.o && p.obj.ingress !== undefined && isCanary(p.obj));
  }

  /**
   * Canary Ingresses of this one (ingress-nginx: same namespace, class, host and path, with
   * `canary: "true"`): by weight, backends beside the main ones (main weight = total − weight); by
   * header, a rule before the path's with the header match.
   */
  private canaryRules(host: string, m: Match): { weighted: Obj[]; mainWeight: number; headerRules: Obj[] } {
    const none = { weighted: [], mainWeight: 0, headerRules: [] };
    if (this.ns === undefined) return none;
    const cls = ingressClass(this.o);
    const weighted: Obj[] = [];
    const headerRules: Obj[] = [];
    let mainWeight = 0;
    for (const p of this.ctx.index.objectsIn(this.ns)) {
      const c = p.obj;
      if (c === this.o || c.ingress === undefined || !isCanary(c) || !literal(c) || ingressClass(c) !== cls) continue;
      const sub = new IngressConverter(this.ctx, p);
      const paths = c.ingress.rules
        .filter((r) => (r.host?.known === true ? r.host.value.toLowerCase() : '') === host)
        .flatMap((r) => r.paths)
        .filter((x) => {
          const cm = sub.match(x);
          return cm.type === m.type && cm.value === m.value;
        });
      if (paths.length === 0) continue;
      const refs = sub.backendRefs(
        paths.flatMap((x) => (x.backend === undefined ? [] : [x.backend])),
        `canary ${c.name?.known === true ? c.name.value : ''}`,
      );
      for (const n of sub.notes) this.notes.push(n);
      if (refs.length === 0) continue;
      const header = sub.a('canary-by-header');
      if (header !== undefined && header !== '') {
        const pattern = sub.a('canary-by-header-pattern');
        const value = sub.a('canary-by-header-value');
        const h: Obj =
          value !== undefined && value !== ''
            ? { name: header, value }
            : pattern !== undefined && pattern !== ''
              ? { type: 'RegularExpression', name: header, value: pattern }
              : { name: header, value: 'always' };
        headerRules.push({ matches: [{ path: { type: m.type, value: m.value }, headers: [h] }], backendRefs: refs.map((r) => ({ ...r })) });
      }
      // ingress-nginx reads the header first, then the cookie, then the weight: the rules in that order.
      const cookie = sub.a('canary-by-cookie')?.trim();
      if (cookie !== undefined && cookie !== '') {
        const path = { type: m.type, value: m.value };
        headerRules.push({ matches: [{ path, headers: [cookieCanaryHeader(cookie)] }], backendRefs: refs.map((r) => ({ ...r })) });
        const note = `${NGINX}canary-by-cookie: cookie ${cookie} is matched as a RegularExpression on the Cookie header (implementation-specific support); its value "never" is not converted`;
        if (!this.notes.includes(note)) this.notes.push(note);
      }
      const w = Number(sub.a('canary-weight') ?? '');
      const totalText = sub.a('canary-weight-total');
      const total = totalText === undefined ? 100 : Number(totalText);
      if (Number.isInteger(w) && w > 0 && Number.isInteger(total) && total >= w) {
        for (const r of refs) weighted.push({ ...r, weight: w });
        mainWeight = total - w;
      }
    }
    return { weighted, mainWeight, headerRules };
  }
}

/** The conversion of one Ingress, or undefined when it cannot be converted. */
export function convertIngress(ctx: CheckContext, placed: Placed): Conversion | undefined {
  return new IngressConverter(ctx, placed).convert();
}
