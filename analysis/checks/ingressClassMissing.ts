/**
 * `ingress-class-missing`: an Ingress names a class that is a near-miss of an IngressClass defined
 * in the workspace (warning), or names no class while no default class exists (hint: ingress-nginx
 * ignores class-less Ingresses unless told otherwise). IngressClasses usually come from controller
 * charts, so an unknown class alone is never reported.
 */

import { about, tier } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { writerFor } from '../edits/writer.js';
import { describe } from './support/evidence.js';
import { effectiveClass, ingressClasses } from './support/ingressClasses.js';
import { isNearMissName } from './support/similarity.js';

export const ingressClassMissing: Check = {
  code: 'ingress-class-missing',
  defaultSeverity: 'warning',
  summary: 'An Ingress names a class that looks like a typo, or no class while none is the default.',
  doc: [
    'Each Ingress is served by the controller of its IngressClass (`spec.ingressClassName`, or the legacy',
    '`kubernetes.io/ingress.class` annotation). IngressClasses are cluster-scoped and usually installed by',
    'controller charts, so a class unknown to the workspace is normal and never reported. Kube Reach warns when the',
    'class is a near-miss of one defined in the workspace (no controller will serve the Ingress), and gives a hint',
    'when an Ingress names no class and no workspace IngressClass is marked default: ingress-nginx ignores such',
    'Ingresses unless started with `--watch-ingress-without-class`. The legacy annotation is compared by each controller',
    "with a name of its own: a value that is an IngressClass's `spec.controller` (Application Gateway's",
    '`azure/application-gateway`), or that holds a `/` and so cannot name a class, is never reported. A class named as',
    'a defined one plus a whole segment (`ngrok-a` beside `ngrok`, `nginx-internal` beside `nginx`) is a second',
    "controller's class, which its chart or a test installs, not a typo.",
    '',
    '**Fix:** use the defined class name (quick-fix), or set `ingressClassName`.',
  ].join('\n'),
  run(ctx) {
    const classes = ingressClasses(ctx.index);
    const names = classes.map((c) => (c.name?.known === true ? c.name.value : '')).filter((n) => n !== '');
    const hasDefault = classes.some((c) => c.ingressClass?.isDefault === true);
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const ing = o.ingress;
      if (ing === undefined) continue;
      const cls = effectiveClass(o);
      if (cls.kind === 'default') {
        if (hasDefault) continue;
        ctx.report({
          ...about(o, o.anchor),
          confidence: 'no-evidence',
          severity: 'hint',
          message: `${describe(o, placed.placements[0]?.namespace)} names no IngressClass and no IngressClass in the workspace is the default; ingress-nginx ignores class-less Ingresses unless started with --watch-ingress-without-class. Set spec.ingressClassName.`,
        });
        continue;
      }
      if (cls.kind !== 'named' || names.includes(cls.name)) continue;
      // The legacy annotation was never defined by the API: each controller compares it with a name of its own.
      // Some (Application Gateway's AGIC, `azure/application-gateway`) use their controller name, which an
      // IngressClass carries in spec.controller and which, holding a '/', can never be a class name.
      if (ing.className === undefined && (cls.name.includes('/') || classes.some((c) => c.ingressClass?.controller === cls.name))) continue;
      // `ngrok-a` beside `ngrok`, `nginx-internal` beside `nginx`: a class of its own for a second
      // controller (one per namespace, per network), which a chart or a test installs, not a typo.
      const near = names.find((n) => isNearMissName(cls.name, n) && !segmentVariant(cls.name, n));
      if (near === undefined) continue;
      const span = ing.className?.span ?? o.anchor;
      ctx.report({
        ...about(o, span),
        ...tier(true),
        message: `${describe(o, placed.placements[0]?.namespace)} uses IngressClass "${cls.name}", which is not defined, while IngressClass "${near}" is: no controller may serve this Ingress. Did you mean "${near}"?`,
        ...(ing.className !== undefined
          ? {
              fixes: [
                { title: `Use IngressClass "${near}"`, isPreferred: true, edits: [writerFor(ctx, o.uri).value(ing.className.span, near)] },
              ],
            }
          : {}),
      });
    }
  },
};

/** One name is the other with a whole `-`/`_`/`.`-separated segment added before or after it. */
function segmentVariant(a: string, b: string): boolean {
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (short.length === 0 || long.length <= short.length + 1) return false;
  return (
    (long.startsWith(short) && /^[-_.][a-z0-9]+$/i.test(long.slice(short.length))) ||
    (long.endsWith(short) && /^[a-z0-9]+[-_.]$/i.test(long.slice(0, long.length - short.length)))
  );
}
