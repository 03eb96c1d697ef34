/**
 * Generates analysis/ide/generated/k8sDocs.json, the offline field documentation behind hover and
 * schema completion (docs/dev/design.md §4), from the typings of kubernetes-models (Kubernetes 1.36) and
 * @kubernetes-models/apimachinery, with the TypeScript compiler API. Types are keyed by their file
 * (`v1/ServicePort`), not by path, so the pod template is stored once.
 *
 * Then analysis/ide/generated/gatewayDocs.json, the same for the Gateway API kinds, from
 * @kubernetes-models/gateway-api (its v1 kinds, and TCPRoute/UDPRoute at v1alpha2; other versions
 * fall back to these in hover). Types it shares with Kubernetes (ObjectMeta, LabelSelector) are
 * referenced by their key in k8sDocs.json, not stored twice.
 *
 * Run by scripts/build.mjs before bundling; `--check` compares with the file on disk instead.
 */

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';

const root = join(__dirname, '..');
const MODELS = join(root, 'node_modules/kubernetes-models');
const OUT = join(root, 'analysis/ide/generated/k8sDocs.json');
const GATEWAY_MODELS = join(root, 'node_modules/@kubernetes-models/gateway-api');
const GATEWAY_OUT = join(root, 'analysis/ide/generated/gatewayDocs.json');
const GATEWAY_VERSION = '2.0.0';

/** The Gateway API kinds whose fields get docs: [apiVersion, kind, file under @kubernetes-models/gateway-api]. */
const GATEWAY_ROOTS: ReadonlyArray<readonly [string, string, string]> = [
  ['gateway.networking.k8s.io/v1', 'GatewayClass', 'gateway.networking.k8s.io/v1/GatewayClass'],
  ['gateway.networking.k8s.io/v1', 'Gateway', 'gateway.networking.k8s.io/v1/Gateway'],
  ['gateway.networking.k8s.io/v1', 'HTTPRoute', 'gateway.networking.k8s.io/v1/HTTPRoute'],
  ['gateway.networking.k8s.io/v1', 'GRPCRoute', 'gateway.networking.k8s.io/v1/GRPCRoute'],
  ['gateway.networking.k8s.io/v1', 'TLSRoute', 'gateway.networking.k8s.io/v1/TLSRoute'],
  ['gateway.networking.k8s.io/v1', 'ReferenceGrant', 'gateway.networking.k8s.io/v1/ReferenceGrant'],
  ['gateway.networking.k8s.io/v1alpha2', 'TCPRoute', 'gateway.networking.k8s.io/v1alpha2/TCPRoute'],
  ['gateway.networking.k8s.io/v1alpha2', 'UDPRoute', 'gateway.networking.k8s.io/v1alpha2/UDPRoute'],
];

/** kubernetes-models releases and the Kubernetes version they were generated from (its changelog). */
const KUBERNETES_OF: Record<string, string> = { '5.1.0': '1.36.0' };

/** The kinds whose fields get docs: [apiVersion, kind, file under kubernetes-models]. */
const ROOTS: ReadonlyArray<readonly [string, string, string]> = [
  ['v1', 'Service', 'v1/Service'],
  ['v1', 'Namespace', 'v1/Namespace'],
  ['v1', 'Pod', 'v1/Pod'],
  ['v1', 'ReplicationController', 'v1/ReplicationController'],
  ['v1', 'Endpoints', 'v1/Endpoints'],
  ['networking.k8s.io/v1', 'Ingress', 'networking.k8s.io/v1/Ingress'],
  ['networking.k8s.io/v1', 'IngressClass', 'networking.k8s.io/v1/IngressClass'],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'networking.k8s.io/v1/NetworkPolicy'],
  ['networking.k8s.io/v1beta1', 'Ingress', 'networking.k8s.io/v1beta1/Ingress'],
  ['extensions/v1beta1', 'Ingress', 'extensions/v1beta1/Ingress'],
  ['apps/v1', 'Deployment', 'apps/v1/Deployment'],
  ['apps/v1', 'StatefulSet', 'apps/v1/StatefulSet'],
  ['apps/v1', 'DaemonSet', 'apps/v1/DaemonSet'],
  ['apps/v1', 'ReplicaSet', 'apps/v1/ReplicaSet'],
  ['batch/v1', 'Job', 'batch/v1/Job'],
  ['batch/v1', 'CronJob', 'batch/v1/CronJob'],
  ['discovery.k8s.io/v1', 'EndpointSlice', 'discovery.k8s.io/v1/EndpointSlice'],
];

/** Fields nobody writes in a manifest (kept out so the table stays under 300 KB). */
const SKIPPED = new Set(['managedFields', 'ephemeralContainers']);
/** Workload status is large and written by controllers; networking kinds keep theirs (hover on load balancer status). */
const STATUS_SKIPPED =
  /^(v1\/(Pod|ReplicationController|Namespace|Endpoints)|apps\/v1\/|batch\/v1\/|discovery\.k8s\.io\/|gateway\.networking\.k8s\.io\/)/;

interface FieldDoc {
  d: string;
  t: string;
  r?: 1;
  e?: string[];
  /** The referenced type (of the field, its items or its map values); `t` says which. */
  ref?: string;
}

interface TypeDoc {
  d: string;
  f: Record<string, FieldDoc>;
}

/** `…/kubernetes-models/v1/ServicePort.d.ts` → `v1/ServicePort`; apimachinery → `meta/v1/ObjectMeta`. */
function typeKey(fileName: string): string | undefined {
  const norm = fileName.split('\\').join('/');
  const m =
    /node_modules\/(?:kubernetes-models|@kubernetes-models\/apimachinery(?:\/apis)?|@kubernetes-models\/gateway-api)\/(.+)\.d\.ts$/.exec(
      norm,
    );
  return m?.[1];
}

function cleanDoc(text: string): string {
  // Gateway API's marker lines (`<gateway:experimental:description>`, CEL rules) are generator input, not prose.
  return text
    .replace(/\\\*/g, '*')
    .replace(/\r/g, '')
    .replace(/^<\/?gateway:[^\n]*>$\n?/gm, '')
    .trim();
}

interface Table {
  readonly roots: ReadonlyArray<readonly [string, string, string]>;
  readonly dir: string;
  /** Type keys stored in another table: referenced, not generated. */
  readonly external: ReadonlySet<string>;
}

function generate(table: Table): { roots: Record<string, string>; types: Record<string, TypeDoc> } {
  const files = table.roots.map(([, , f]) => join(table.dir, `${f}.d.ts`));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const types: Record<string, TypeDoc> = {};
  const queue: Array<{ key: string; type: ts.Type; decl: ts.Declaration }> = [];

  const enqueue = (type: ts.Type): string | undefined => {
    const sym = type.aliasSymbol ?? type.getSymbol();
    const decl = sym?.declarations?.[0];
    if (decl === undefined || !(ts.isInterfaceDeclaration(decl) || ts.isClassDeclaration(decl))) return undefined;
    const key = typeKey(decl.getSourceFile().fileName);
    if (key === undefined) return undefined;
    if (table.external.has(key)) return key;
    if (!(key in types) && !queue.some((q) => q.key === key)) {
      types[key] = { d: '', f: {} };
      queue.push({ key, type, decl });
    }
    return key;
  };

  const describeType = (t: ts.Type, field: FieldDoc): void => {
    const parts = t.isUnion() ? t.types.filter((x) => !(x.flags & ts.TypeFlags.Undefined)) : [t];
    if (parts.length > 0 && parts.every((p) => p.isStringLiteral())) {
      field.t = 'string';
      field.e = parts.map((p) => (p as ts.StringLiteralType).value).filter((v) => v !== '');
      return;
    }
    const kinds = new Set<string>();
    for (const p of parts) {
      if (p.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral)) kinds.add('string');
      else if (p.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) kinds.add('number');
      else if (p.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) kinds.add('boolean');
      else if (checker.isArrayType(p)) {
        const el = checker.getTypeArguments(p as ts.TypeReference)[0];
        if (el !== undefined) {
          const inner: FieldDoc = { d: '', t: '' };
          describeType(el, inner);
          kinds.add(`${inner.t}[]`);
          if (inner.ref !== undefined) field.ref = inner.ref;
          if (inner.e !== undefined) field.e = inner.e;
        }
      } else if (p.flags & ts.TypeFlags.Object) {
        const index = checker.getIndexInfosOfType(p)[0];
        if (index !== undefined && checker.getPropertiesOfType(p).length === 0) {
          const inner: FieldDoc = { d: '', t: '' };
          describeType(index.type, inner);
          kinds.add(`map[string]${inner.t}`);
          if (inner.ref !== undefined) field.ref = inner.ref;
        } else {
          const ref = enqueue(p);
          if (ref !== undefined) {
            field.ref = ref;
            kinds.add('object');
          } else kinds.add('object');
        }
      } else kinds.add(checker.typeToString(p));
    }
    field.t = [...kinds].sort().join('|');
  };

  for (const f of files) {
    const sf = program.getSourceFile(f);
    if (sf === undefined) throw new Error(`cannot read ${f}`);
    const iface = sf.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text.startsWith('I'));
    if (iface === undefined) throw new Error(`no interface in ${f}`);
    enqueue(checker.getTypeAtLocation(iface));
  }
  while (queue.length > 0) {
    const next = queue.shift();
    if (next === undefined) break;
    const doc: TypeDoc = {
      d: cleanDoc(
        ts.displayPartsToString(
          checker.getSymbolAtLocation((next.decl as ts.InterfaceDeclaration).name)?.getDocumentationComment(checker) ?? [],
        ),
      ),
      f: {},
    };
    for (const prop of checker.getPropertiesOfType(next.type)) {
      const decl = prop.declarations?.[0];
      // Status is written by controllers, never by hand; managedFields by the API server.
      if (decl === undefined || SKIPPED.has(prop.name) || (prop.name === 'status' && STATUS_SKIPPED.test(next.key))) continue;
      const field: FieldDoc = { d: cleanDoc(ts.displayPartsToString(prop.getDocumentationComment(checker))), t: '' };
      if (!(prop.flags & ts.SymbolFlags.Optional)) field.r = 1;
      describeType(checker.getTypeOfSymbolAtLocation(prop, decl), field);
      doc.f[prop.name] = field;
    }
    types[next.key] = doc;
  }
  const rootMap: Record<string, string> = {};
  for (const [apiVersion, kind, f] of table.roots) rootMap[`${apiVersion}/${kind}`] = f;
  return { roots: rootMap, types };
}

function write(out: string, json: string, label: string): void {
  const rel = out.slice(root.length + 1);
  if (process.argv.includes('--check')) {
    if (!existsSync(out) || readFileSync(out, 'utf8') !== json) {
      console.error(`${rel} is stale: run node --import tsx scripts/gen-k8s-docs.ts`);
      process.exit(1);
    }
    return;
  }
  if (!existsSync(dirname(out))) throw new Error(`missing ${dirname(out)}`);
  if (!existsSync(out) || readFileSync(out, 'utf8') !== json) writeFileSync(out, json);
  console.log(`${label}: ${json.length} bytes`);
}

function main(): void {
  const pkg = JSON.parse(readFileSync(join(MODELS, 'package.json'), 'utf8')) as { version: string };
  const kubernetes = KUBERNETES_OF[pkg.version];
  if (kubernetes === undefined) throw new Error(`kubernetes-models ${pkg.version} is not the pinned 5.1.0: run npm ci`);
  const k8s = generate({ roots: ROOTS, dir: MODELS, external: new Set() });
  const json =
    JSON.stringify({ source: { package: `kubernetes-models@${pkg.version}`, kubernetes }, roots: k8s.roots, types: k8s.types }) + '\n';
  const fields = Object.values(k8s.types).reduce((n, t) => n + Object.keys(t.f).length, 0);
  write(OUT, json, `k8s docs: ${Object.keys(k8s.types).length} types, ${fields} fields (Kubernetes ${kubernetes})`);
  const gwPkg = JSON.parse(readFileSync(join(GATEWAY_MODELS, 'package.json'), 'utf8')) as { version: string };
  if (gwPkg.version !== GATEWAY_VERSION)
    throw new Error(`@kubernetes-models/gateway-api ${gwPkg.version} is not the pinned ${GATEWAY_VERSION}: run npm ci`);
  const gw = generate({ roots: GATEWAY_ROOTS, dir: GATEWAY_MODELS, external: new Set(Object.keys(k8s.types)) });
  const gwJson =
    JSON.stringify({ source: { package: `@kubernetes-models/gateway-api@${gwPkg.version}` }, roots: gw.roots, types: gw.types }) + '\n';
  const gwFields = Object.values(gw.types).reduce((n, t) => n + Object.keys(t.f).length, 0);
  write(GATEWAY_OUT, gwJson, `Gateway API docs: ${Object.keys(gw.types).length} types, ${gwFields} fields`);
}

main();
