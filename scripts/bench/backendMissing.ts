/**
 * In-process measure of the absence checks on many missing backends in one namespace (issue #17):
 * N Services and N routes (HTTPRoute, or Ingress) whose backends name Services that do not exist,
 * half of them near-misses of a real name (the "did you mean" path), half unlike any. Prints the
 * full pass, one route edited, and the same two on a floor workspace whose backends all exist, so
 * the figures read as ratios on a loaded machine; and a digest of the findings of the two
 * `*-backend-missing` codes, which must not change when the checks get faster.
 * `node --import tsx scripts/bench/backendMissing.ts [N] [gateway|ingress]` (`BENCH_ONLY=floor|missing` runs one side,
 * for a profile). A developer tool: never a test.
 */

import { createHash } from 'node:crypto';
import { AnalysisHost } from '../../analysis/index.js';

const n = Number(process.argv[2] ?? 1000);
const kind = process.argv[3] === 'ingress' ? 'ingress' : 'gateway';

function service(i: number): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: store-${i}`,
    '  namespace: shop',
    'spec:',
    '  selector:',
    '    app: store',
    '  ports:',
    '    - port: 8080',
    '',
  ].join('\n');
}

/** The backend Service route `i` names: present on the floor, else a near-miss or an unlike name. */
function backendName(i: number, missing: boolean): string {
  if (!missing) return `store-${i}`;
  return i % 2 === 0 ? `store-${i}-svc` : `payments-ledger-${i}-backend`;
}

function route(i: number, missing: boolean): string {
  const backend = backendName(i, missing);
  if (kind === 'ingress')
    return [
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata:',
      `  name: web-${i}`,
      '  namespace: shop',
      'spec:',
      '  ingressClassName: nginx',
      '  rules:',
      `    - host: web-${i}.example.com`,
      '      http:',
      '        paths:',
      '          - path: /',
      '            pathType: Prefix',
      '            backend:',
      '              service:',
      `                name: ${backend}`,
      '                port:',
      '                  number: 8080',
      '',
    ].join('\n');
  return [
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: HTTPRoute',
    'metadata:',
    `  name: web-${i}`,
    '  namespace: shop',
    'spec:',
    '  parentRefs:',
    '    - name: gw',
    `  hostnames: ["web-${i}.example.com"]`,
    '  rules:',
    '    - backendRefs:',
    `        - name: ${backend}`,
    '          port: 8080',
    '',
  ].join('\n');
}

const common = [
  'apiVersion: v1',
  'kind: Namespace',
  'metadata:',
  '  name: shop',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: store',
  '  namespace: shop',
  'spec:',
  '  selector:',
  '    matchLabels:',
  '      app: store',
  '  template:',
  '    metadata:',
  '      labels:',
  '        app: store',
  '    spec:',
  '      containers:',
  '        - name: store',
  '          image: store:1',
  '          ports:',
  '            - containerPort: 8080',
  '---',
  'apiVersion: gateway.networking.k8s.io/v1',
  'kind: Gateway',
  'metadata:',
  '  name: gw',
  '  namespace: shop',
  'spec:',
  '  gatewayClassName: eg',
  '  listeners:',
  '    - name: http',
  '      port: 80',
  '      protocol: HTTP',
  '',
].join('\n');

interface Run {
  readonly full: number;
  readonly edit: number;
  readonly findings: number;
  readonly digest: string;
  /** Files whose checks the edit re-ran (host.stats.rechecked): the figure the load does not change. */
  readonly rechecked: number;
}

function run(missing: boolean): Run {
  const host = new AnalysisHost();
  host.setFile('file:///bench/common.yaml', common);
  for (let i = 0; i < n; i++) host.setFile(`file:///bench/svc-${i}.yaml`, service(i));
  for (let i = 0; i < n; i++) host.setFile(`file:///bench/route-${i}.yaml`, route(i, missing));
  let t = performance.now();
  let a = host.snapshot();
  const diags = a.diagnostics();
  const full = performance.now() - t;
  const mine = [...diags.values()]
    .flat()
    .filter((d) => d.code.endsWith('-backend-missing'))
    .map((d) => `${d.uri} ${d.span.start} ${d.severity} ${d.message} ${JSON.stringify(d.related ?? [])}`)
    .sort();
  const edited = Math.floor(n / 2) + 1;
  host.setFile(`file:///bench/route-${edited}.yaml`, route(edited, missing) + '# edited\n');
  t = performance.now();
  a = host.snapshot();
  a.diagnostics();
  const edit = performance.now() - t;
  return {
    full,
    edit,
    rechecked: host.stats.rechecked,
    findings: mine.length,
    digest: createHash('sha256').update(mine.join('\n')).digest('hex').slice(0, 16),
  };
}

const only = process.env.BENCH_ONLY;
const floor: Run = only === 'missing' ? { full: NaN, edit: NaN, findings: 0, digest: '', rechecked: 0 } : run(false);
const subject = only === 'floor' ? floor : run(true);
console.log(`${kind}, ${n} Services and ${n} routes in one namespace`);
console.log(
  `floor (backends exist): full pass ${floor.full.toFixed(0)} ms, one route edited ${floor.edit.toFixed(0)} ms (${floor.rechecked} files re-checked)`,
);
console.log(
  `missing backends: full pass ${subject.full.toFixed(0)} ms (×${(subject.full / floor.full).toFixed(2)} the floor), one route edited ${subject.edit.toFixed(0)} ms (×${(subject.edit / floor.edit).toFixed(2)}, ${subject.rechecked} files re-checked)`,
);
console.log(`${subject.findings} *-backend-missing findings, digest ${subject.digest}`);
