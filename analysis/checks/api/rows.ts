/**
 * The committed map from every row of docs/dev/api-rules.md §A.3–A.10 to the code that
 * reports it and a fixture pair [triggers it, stays silent], or to the reason it is not checkable
 * statically. test/analysis/apiRows.test.ts fails when a row id of the research is missing here,
 * a fixture does not exist, the trigger fixture does not report the row (`data.rule`), or the
 * silent one does.
 */

export type ApiRow =
  | {
      readonly code: string;
      /** [a fixture that reports the row, a fixture where it stays silent], relative to the repository. */
      readonly fixtures: readonly [string, string];
      /** The row is reported under these row ids (`data.rule`) instead of its own. */
      readonly sameAs?: readonly string[];
      readonly note?: string;
    }
  | { readonly notCheckable: string };

/** A Gateway API row (§A.10a): its trigger is `<code>/gateway-api.yaml`, its silent fixture must-not-warn's. */
function gatewayRow(code: string): ApiRow {
  return { code, fixtures: [`test/fixtures/checks/${code}/gateway-api.yaml`, 'test/fixtures/checks/must-not-warn/30-gateway-api.yaml'] };
}

export const API_ROWS: Readonly<Record<string, ApiRow>> = {
  M1: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-required-value/trigger.yaml', 'test/fixtures/checks/api-required-value/silent.yaml'],
  },
  M2: {
    code: 'api-invalid-name',
    fixtures: ['test/fixtures/checks/api-invalid-name/trigger.yaml', 'test/fixtures/checks/api-invalid-name/silent.yaml'],
    note: 'A name that is a DNS-1123 but not a DNS-1035 label (leading digit) is a warning from 1.34 (RelaxedServiceNameValidation gate).',
  },
  M3: {
    code: 'api-invalid-name',
    fixtures: ['test/fixtures/checks/api-invalid-name/trigger.yaml', 'test/fixtures/checks/api-invalid-name/silent.yaml'],
  },
  M4: {
    code: 'api-invalid-name',
    fixtures: ['test/fixtures/checks/api-invalid-name/trigger.yaml', 'test/fixtures/checks/api-invalid-name/silent.yaml'],
    note: 'StatefulSet names that are subdomains but not labels are a warning (the research says "verify").',
  },
  M5: {
    code: 'api-invalid-name',
    fixtures: ['test/fixtures/checks/api-invalid-name/trigger.yaml', 'test/fixtures/checks/api-invalid-name/silent.yaml'],
  },
  M6: {
    code: 'api-invalid-label-key',
    fixtures: ['test/fixtures/checks/api-invalid-label-key/trigger.yaml', 'test/fixtures/checks/api-invalid-label-key/silent.yaml'],
  },
  M7: {
    code: 'api-invalid-label-value',
    fixtures: ['test/fixtures/checks/api-invalid-label-value/trigger.yaml', 'test/fixtures/checks/api-invalid-label-value/silent.yaml'],
  },
  M8: {
    code: 'api-invalid-label-key',
    fixtures: ['test/fixtures/checks/api-invalid-label-key/trigger.yaml', 'test/fixtures/checks/api-invalid-label-key/silent.yaml'],
    note: 'Keys here; the 262144-byte total is api-invalid-annotation, tested in test/analysis/apiRows.test.ts (a 256 KiB fixture is not worth committing).',
  },
  M9: {
    code: 'api-ignored-field',
    fixtures: ['test/fixtures/checks/api-ignored-field/trigger.yaml', 'test/fixtures/checks/api-ignored-field/silent.yaml'],
    note: 'A hint, never an error: the server clears the namespace.',
  },
  S1: {
    code: 'api-invalid-label-key',
    fixtures: ['test/fixtures/checks/api-invalid-label-key/trigger.yaml', 'test/fixtures/checks/api-invalid-label-key/silent.yaml'],
    note: 'Values: api-invalid-label-value.',
  },
  S2: {
    code: 'api-invalid-label-key',
    fixtures: ['test/fixtures/checks/api-invalid-label-key/trigger.yaml', 'test/fixtures/checks/api-invalid-label-key/silent.yaml'],
  },
  S3: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-invalid-selector/trigger.yaml', 'test/fixtures/checks/api-invalid-selector/silent.yaml'],
  },
  S4: {
    code: 'api-invalid-selector',
    fixtures: ['test/fixtures/checks/api-invalid-selector/trigger.yaml', 'test/fixtures/checks/api-invalid-selector/silent.yaml'],
  },
  S5: {
    code: 'api-invalid-selector',
    fixtures: ['test/fixtures/checks/api-invalid-selector/trigger.yaml', 'test/fixtures/checks/api-invalid-selector/silent.yaml'],
  },
  S6: {
    code: 'api-invalid-label-value',
    fixtures: ['test/fixtures/checks/api-invalid-label-value/trigger.yaml', 'test/fixtures/checks/api-invalid-label-value/silent.yaml'],
  },
  SV1: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-required-value/trigger.yaml', 'test/fixtures/checks/api-required-value/silent.yaml'],
  },
  SV2: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-required-value/trigger.yaml', 'test/fixtures/checks/api-required-value/silent.yaml'],
  },
  SV3: {
    code: 'api-invalid-port-name',
    fixtures: ['test/fixtures/checks/api-invalid-port-name/trigger.yaml', 'test/fixtures/checks/api-invalid-port-name/silent.yaml'],
  },
  SV4: {
    code: 'api-duplicate-value',
    fixtures: ['test/fixtures/checks/api-duplicate-value/trigger.yaml', 'test/fixtures/checks/api-duplicate-value/silent.yaml'],
  },
  SV5: {
    code: 'api-invalid-port',
    fixtures: ['test/fixtures/checks/api-invalid-port/trigger.yaml', 'test/fixtures/checks/api-invalid-port/silent.yaml'],
  },
  SV6: {
    code: 'api-unsupported-value',
    fixtures: ['test/fixtures/checks/api-unsupported-value/trigger.yaml', 'test/fixtures/checks/api-unsupported-value/silent.yaml'],
  },
  SV7: {
    code: 'api-invalid-port',
    fixtures: ['test/fixtures/checks/api-invalid-port/trigger.yaml', 'test/fixtures/checks/api-invalid-port/silent.yaml'],
    note: 'Numbers: api-invalid-port; strings (IANA_SVC_NAME): api-invalid-port-name.',
  },
  SV8: {
    code: 'api-invalid-label-key',
    fixtures: ['test/fixtures/checks/api-invalid-label-key/trigger.yaml', 'test/fixtures/checks/api-invalid-label-key/silent.yaml'],
  },
  SV9: {
    code: 'api-duplicate-value',
    fixtures: ['test/fixtures/checks/api-duplicate-value/trigger.yaml', 'test/fixtures/checks/api-duplicate-value/silent.yaml'],
    note: 'The duplicate struct is printed as the internal core.ServicePort (JSON from 1.34, Go syntax before); match on path and "Duplicate value".',
  },
  SV10: {
    code: 'api-service-field-forbidden',
    fixtures: [
      'test/fixtures/checks/api-service-field-forbidden/trigger.yaml',
      'test/fixtures/checks/api-service-field-forbidden/silent.yaml',
    ],
  },
  SV11: {
    code: 'api-duplicate-value',
    fixtures: ['test/fixtures/checks/api-duplicate-value/trigger.yaml', 'test/fixtures/checks/api-duplicate-value/silent.yaml'],
  },
  SV12: {
    code: 'api-unsupported-value',
    fixtures: ['test/fixtures/checks/api-unsupported-value/trigger.yaml', 'test/fixtures/checks/api-unsupported-value/silent.yaml'],
  },
  SV13: {
    code: 'api-invalid-ip',
    fixtures: ['test/fixtures/checks/api-invalid-ip/trigger.yaml', 'test/fixtures/checks/api-invalid-ip/silent.yaml'],
  },
  SV14: {
    code: 'api-invalid-ip',
    fixtures: ['test/fixtures/checks/api-invalid-ip/trigger.yaml', 'test/fixtures/checks/api-invalid-ip/silent.yaml'],
  },
  SV15: {
    code: 'api-service-field-forbidden',
    fixtures: [
      'test/fixtures/checks/api-service-field-forbidden/trigger.yaml',
      'test/fixtures/checks/api-service-field-forbidden/silent.yaml',
    ],
  },
  SV16: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-invalid-host/trigger.yaml', 'test/fixtures/checks/api-invalid-host/silent.yaml'],
    note: 'Invalid names: api-invalid-host (fixture api-invalid-host/trigger.yaml).',
  },
  SV17: {
    code: 'api-invalid-ip',
    fixtures: ['test/fixtures/checks/api-invalid-ip/trigger.yaml', 'test/fixtures/checks/api-invalid-ip/silent.yaml'],
  },
  SV18: {
    code: 'api-invalid-ip',
    fixtures: ['test/fixtures/checks/api-invalid-ip/trigger.yaml', 'test/fixtures/checks/api-invalid-ip/silent.yaml'],
    note: 'Checked: more than two values, two of one family, clusterIPs[0] differing from clusterIP. Not checked: "must be empty when `clusterIP` is not specified", because the create strategy may fill clusterIP from clusterIPs (never stricter than the server).',
  },
  SV19: {
    code: 'api-unsupported-value',
    fixtures: ['test/fixtures/checks/api-unsupported-value/trigger.yaml', 'test/fixtures/checks/api-unsupported-value/silent.yaml'],
    note: 'Also api-duplicate-value (duplicate families) and api-invalid-ip (family mismatch).',
  },
  SV20: {
    code: 'api-unsupported-value',
    fixtures: ['test/fixtures/checks/api-unsupported-value/trigger.yaml', 'test/fixtures/checks/api-unsupported-value/silent.yaml'],
  },
  SV21: {
    code: 'api-invalid-value',
    fixtures: ['test/fixtures/checks/api-invalid-value/trigger.yaml', 'test/fixtures/checks/api-invalid-value/silent.yaml'],
  },
  SV22: {
    code: 'api-ignored-field',
    fixtures: ['test/fixtures/checks/api-ignored-field/trigger.yaml', 'test/fixtures/checks/api-ignored-field/silent.yaml'],
    note: 'A hint, never an error: the config is dropped.',
  },
  SV23: {
    code: 'api-invalid-label-key',
    fixtures: ['test/fixtures/checks/api-invalid-label-key/trigger.yaml', 'test/fixtures/checks/api-invalid-label-key/silent.yaml'],
    note: 'Values: api-invalid-label-value.',
  },
  SV24: {
    code: 'api-invalid-ip',
    fixtures: ['test/fixtures/checks/api-invalid-ip/trigger.yaml', 'test/fixtures/checks/api-invalid-ip/silent.yaml'],
  },
  SV25: {
    code: 'api-service-field-forbidden',
    fixtures: [
      'test/fixtures/checks/api-service-field-forbidden/trigger.yaml',
      'test/fixtures/checks/api-service-field-forbidden/silent.yaml',
    ],
    note: 'CIDRs: api-invalid-ip. The annotation service.beta.kubernetes.io/load-balancer-source-ranges is not checked (its message was not researched).',
  },
  SV26: {
    code: 'api-service-field-forbidden',
    fixtures: [
      'test/fixtures/checks/api-service-field-forbidden/trigger.yaml',
      'test/fixtures/checks/api-service-field-forbidden/silent.yaml',
    ],
  },
  SV27: {
    code: 'api-service-field-forbidden',
    fixtures: [
      'test/fixtures/checks/api-service-field-forbidden/trigger.yaml',
      'test/fixtures/checks/api-service-field-forbidden/silent.yaml',
    ],
    note: 'The class format: api-invalid-label-key.',
  },
  SV28: {
    code: 'api-service-field-forbidden',
    fixtures: [
      'test/fixtures/checks/api-service-field-forbidden/trigger.yaml',
      'test/fixtures/checks/api-service-field-forbidden/silent.yaml',
    ],
  },
  SV29: {
    code: 'api-service-field-forbidden',
    fixtures: [
      'test/fixtures/checks/api-service-field-forbidden/trigger.yaml',
      'test/fixtures/checks/api-service-field-forbidden/silent.yaml',
    ],
    note: 'The port range: api-invalid-port.',
  },
  SV30: {
    code: 'api-unsupported-value',
    fixtures: ['test/fixtures/checks/api-unsupported-value/trigger.yaml', 'test/fixtures/checks/api-unsupported-value/silent.yaml'],
  },
  SV31: {
    code: 'api-unsupported-value',
    fixtures: ['test/fixtures/checks/api-unsupported-value/trigger.yaml', 'test/fixtures/checks/api-unsupported-value/silent.yaml'],
    note: 'PreferSameNode/PreferSameZone are warnings before 1.34 (PreferSameTrafficDistribution gate); the supported list follows the version.',
  },
  SV32: {
    code: 'api-invalid-annotation',
    fixtures: ['test/fixtures/checks/api-invalid-annotation/trigger.yaml', 'test/fixtures/checks/api-invalid-annotation/silent.yaml'],
  },
  SV33: {
    notCheckable:
      'Historical: the mixed-protocol LoadBalancer error was removed when MixedProtocolLBService went GA (1.26; on by default since 1.24). The research says never flag it.',
  },
  IN1: {
    code: 'api-invalid-backend',
    fixtures: ['test/fixtures/checks/api-invalid-backend/trigger.yaml', 'test/fixtures/checks/api-invalid-backend/silent.yaml'],
  },
  IN2: {
    code: 'api-invalid-host',
    fixtures: ['test/fixtures/checks/api-invalid-host/trigger.yaml', 'test/fixtures/checks/api-invalid-host/silent.yaml'],
  },
  IN3: {
    code: 'api-invalid-host',
    fixtures: ['test/fixtures/checks/api-invalid-host/trigger.yaml', 'test/fixtures/checks/api-invalid-host/silent.yaml'],
  },
  IN4: {
    code: 'api-invalid-host',
    fixtures: ['test/fixtures/checks/api-invalid-host/trigger.yaml', 'test/fixtures/checks/api-invalid-host/silent.yaml'],
  },
  IN5: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-required-value/trigger.yaml', 'test/fixtures/checks/api-required-value/silent.yaml'],
  },
  IN6: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-required-value/trigger.yaml', 'test/fixtures/checks/api-required-value/silent.yaml'],
    note: 'Quick-fix: add pathType: ImplementationSpecific.',
  },
  IN7: {
    code: 'api-unsupported-value',
    fixtures: ['test/fixtures/checks/api-unsupported-value/trigger.yaml', 'test/fixtures/checks/api-unsupported-value/silent.yaml'],
  },
  IN8: {
    code: 'api-invalid-path',
    fixtures: ['test/fixtures/checks/api-invalid-path/trigger.yaml', 'test/fixtures/checks/api-invalid-path/silent.yaml'],
  },
  IN9: {
    code: 'api-invalid-path',
    fixtures: ['test/fixtures/checks/api-invalid-path/trigger.yaml', 'test/fixtures/checks/api-invalid-path/silent.yaml'],
  },
  IN10: {
    code: 'api-invalid-path',
    fixtures: ['test/fixtures/checks/api-invalid-path/trigger.yaml', 'test/fixtures/checks/api-invalid-path/silent.yaml'],
  },
  IN11: {
    code: 'api-invalid-backend',
    fixtures: ['test/fixtures/checks/api-invalid-backend/trigger.yaml', 'test/fixtures/checks/api-invalid-backend/silent.yaml'],
  },
  IN12: {
    code: 'api-invalid-backend',
    fixtures: ['test/fixtures/checks/api-invalid-backend/trigger.yaml', 'test/fixtures/checks/api-invalid-backend/silent.yaml'],
  },
  IN13: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-required-value/trigger.yaml', 'test/fixtures/checks/api-required-value/silent.yaml'],
    note: 'Invalid names: api-invalid-name (leading digit: a warning from 1.34).',
  },
  IN14: {
    code: 'api-invalid-backend',
    fixtures: ['test/fixtures/checks/api-invalid-backend/trigger.yaml', 'test/fixtures/checks/api-invalid-backend/silent.yaml'],
  },
  IN15: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-required-value/trigger.yaml', 'test/fixtures/checks/api-required-value/silent.yaml'],
  },
  IN16: {
    code: 'api-invalid-port-name',
    fixtures: ['test/fixtures/checks/api-invalid-port-name/trigger.yaml', 'test/fixtures/checks/api-invalid-port-name/silent.yaml'],
  },
  IN17: {
    code: 'api-invalid-port',
    fixtures: ['test/fixtures/checks/api-invalid-port/trigger.yaml', 'test/fixtures/checks/api-invalid-port/silent.yaml'],
  },
  IN18: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-required-value/trigger.yaml', 'test/fixtures/checks/api-required-value/silent.yaml'],
    note: 'Invalid apiGroup/kind/name: api-invalid-name.',
  },
  IN19: {
    code: 'api-invalid-host',
    fixtures: ['test/fixtures/checks/api-invalid-host/trigger.yaml', 'test/fixtures/checks/api-invalid-host/silent.yaml'],
  },
  IN20: {
    code: 'api-invalid-name',
    fixtures: ['test/fixtures/checks/api-invalid-name/trigger.yaml', 'test/fixtures/checks/api-invalid-name/silent.yaml'],
  },
  IN21: {
    code: 'api-invalid-name',
    fixtures: ['test/fixtures/checks/api-invalid-name/trigger.yaml', 'test/fixtures/checks/api-invalid-name/silent.yaml'],
  },
  IN22: {
    code: 'api-invalid-annotation',
    fixtures: ['test/fixtures/checks/api-invalid-annotation/trigger.yaml', 'test/fixtures/checks/api-invalid-annotation/silent.yaml'],
  },
  IN23: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-required-value/trigger.yaml', 'test/fixtures/checks/api-required-value/silent.yaml'],
    note: 'Too long / not a domain-prefixed path: api-invalid-value.',
  },
  IN24: {
    code: 'api-invalid-backend',
    fixtures: ['test/fixtures/checks/api-invalid-backend/trigger.yaml', 'test/fixtures/checks/api-invalid-backend/silent.yaml'],
    note: "The decoding error of kubectl's strict field validation, reported for serviceName, servicePort and spec.backend only (other unknown fields are the schema's business).",
  },
  NP1: {
    code: 'api-invalid-selector',
    fixtures: ['test/fixtures/checks/api-invalid-selector/trigger.yaml', 'test/fixtures/checks/api-invalid-selector/silent.yaml'],
    sameAs: ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'],
    note: 'The selector rules S1–S6 at spec.podSelector / the peer selectors; data.rule names the S row.',
  },
  NP2: {
    code: 'api-unsupported-value',
    fixtures: ['test/fixtures/checks/api-unsupported-value/trigger.yaml', 'test/fixtures/checks/api-unsupported-value/silent.yaml'],
  },
  NP3: {
    code: 'api-invalid-port',
    fixtures: ['test/fixtures/checks/api-invalid-port/trigger.yaml', 'test/fixtures/checks/api-invalid-port/silent.yaml'],
  },
  NP4: {
    code: 'api-invalid-port-name',
    fixtures: ['test/fixtures/checks/api-invalid-port-name/trigger.yaml', 'test/fixtures/checks/api-invalid-port-name/silent.yaml'],
  },
  NP5: {
    code: 'api-invalid-port-range',
    fixtures: ['test/fixtures/checks/api-invalid-port-range/trigger.yaml', 'test/fixtures/checks/api-invalid-port-range/silent.yaml'],
  },
  NP6: {
    code: 'api-invalid-port-range',
    fixtures: ['test/fixtures/checks/api-invalid-port-range/trigger.yaml', 'test/fixtures/checks/api-invalid-port-range/silent.yaml'],
  },
  NP7: {
    code: 'api-invalid-port-range',
    fixtures: ['test/fixtures/checks/api-invalid-port-range/trigger.yaml', 'test/fixtures/checks/api-invalid-port-range/silent.yaml'],
  },
  NP8: {
    code: 'api-invalid-port',
    fixtures: ['test/fixtures/checks/api-invalid-port/trigger.yaml', 'test/fixtures/checks/api-invalid-port/silent.yaml'],
  },
  NP9: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-required-value/trigger.yaml', 'test/fixtures/checks/api-required-value/silent.yaml'],
  },
  NP10: {
    code: 'api-invalid-peer',
    fixtures: ['test/fixtures/checks/api-invalid-peer/trigger.yaml', 'test/fixtures/checks/api-invalid-peer/silent.yaml'],
  },
  NP11: {
    code: 'api-invalid-selector',
    fixtures: ['test/fixtures/checks/api-invalid-selector/trigger.yaml', 'test/fixtures/checks/api-invalid-selector/silent.yaml'],
    sameAs: ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'],
    note: 'The selector rules S1–S6 at spec.podSelector / the peer selectors; data.rule names the S row.',
  },
  NP12: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-required-value/trigger.yaml', 'test/fixtures/checks/api-required-value/silent.yaml'],
  },
  NP13: {
    code: 'api-invalid-ip',
    fixtures: ['test/fixtures/checks/api-invalid-ip/trigger.yaml', 'test/fixtures/checks/api-invalid-ip/silent.yaml'],
  },
  NP14: {
    code: 'api-invalid-ip',
    fixtures: ['test/fixtures/checks/api-invalid-ip/trigger.yaml', 'test/fixtures/checks/api-invalid-ip/silent.yaml'],
  },
  NP15: {
    code: 'api-invalid-ip',
    fixtures: ['test/fixtures/checks/api-invalid-ip/trigger.yaml', 'test/fixtures/checks/api-invalid-ip/silent.yaml'],
  },
  NP16: {
    code: 'api-invalid-value',
    fixtures: ['test/fixtures/checks/api-invalid-value/trigger.yaml', 'test/fixtures/checks/api-invalid-value/silent.yaml'],
  },
  NP17: {
    code: 'api-unsupported-value',
    fixtures: ['test/fixtures/checks/api-unsupported-value/trigger.yaml', 'test/fixtures/checks/api-unsupported-value/silent.yaml'],
  },
  NP18: {
    code: 'api-invalid-name',
    fixtures: ['test/fixtures/checks/api-invalid-name/trigger.yaml', 'test/fixtures/checks/api-invalid-name/silent.yaml'],
    sameAs: ['M4'],
    note: 'The object-name rule M4; data.rule is "M4".',
  },
  C1: {
    code: 'api-invalid-port-name',
    fixtures: ['test/fixtures/checks/api-invalid-port-name/trigger.yaml', 'test/fixtures/checks/api-invalid-port-name/silent.yaml'],
  },
  C2: {
    code: 'api-duplicate-value',
    fixtures: ['test/fixtures/checks/api-duplicate-value/trigger.yaml', 'test/fixtures/checks/api-duplicate-value/silent.yaml'],
    note: 'Duplicates across containers are only a server warning and are not reported.',
  },
  C3: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-required-value/trigger.yaml', 'test/fixtures/checks/api-required-value/silent.yaml'],
  },
  C4: {
    code: 'api-invalid-port',
    fixtures: ['test/fixtures/checks/api-invalid-port/trigger.yaml', 'test/fixtures/checks/api-invalid-port/silent.yaml'],
  },
  C5: {
    code: 'api-invalid-port',
    fixtures: ['test/fixtures/checks/api-invalid-port/trigger.yaml', 'test/fixtures/checks/api-invalid-port/silent.yaml'],
  },
  C6: {
    code: 'api-unsupported-value',
    fixtures: ['test/fixtures/checks/api-unsupported-value/trigger.yaml', 'test/fixtures/checks/api-unsupported-value/silent.yaml'],
  },
  C7: {
    code: 'api-duplicate-value',
    fixtures: ['test/fixtures/checks/api-duplicate-value/trigger.yaml', 'test/fixtures/checks/api-duplicate-value/silent.yaml'],
  },
  C8: {
    code: 'api-invalid-value',
    fixtures: ['test/fixtures/checks/api-invalid-value/trigger.yaml', 'test/fixtures/checks/api-invalid-value/silent.yaml'],
    note: 'Uses the current wording (hostPort path); older servers reported it on containerPort.',
  },
  C9: {
    code: 'api-invalid-name',
    fixtures: ['test/fixtures/checks/api-invalid-name/trigger.yaml', 'test/fixtures/checks/api-invalid-name/silent.yaml'],
    note: 'Missing: api-required-value; duplicate: api-duplicate-value.',
  },
  C10: {
    code: 'api-invalid-port',
    fixtures: ['test/fixtures/checks/api-invalid-port/trigger.yaml', 'test/fixtures/checks/api-invalid-port/silent.yaml'],
    note: 'Names: api-invalid-port-name.',
  },
  WL1: {
    code: 'api-required-value',
    fixtures: ['test/fixtures/checks/api-required-value/trigger.yaml', 'test/fixtures/checks/api-required-value/silent.yaml'],
  },
  WL2: {
    code: 'api-invalid-selector',
    fixtures: ['test/fixtures/checks/api-invalid-selector/trigger.yaml', 'test/fixtures/checks/api-invalid-selector/silent.yaml'],
  },
  WL3: {
    code: 'api-invalid-selector',
    fixtures: ['test/fixtures/checks/api-invalid-selector/trigger.yaml', 'test/fixtures/checks/api-invalid-selector/silent.yaml'],
  },
  WL4: {
    code: 'api-invalid-label-value',
    fixtures: ['test/fixtures/checks/api-invalid-label-value/trigger.yaml', 'test/fixtures/checks/api-invalid-label-value/silent.yaml'],
    sameAs: ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'],
    note: 'S1–S6 at spec.selector; the extra "invalid label selector" error that accompanies them is not repeated.',
  },
  WL5: {
    code: 'api-unsupported-value',
    fixtures: ['test/fixtures/checks/api-unsupported-value/trigger.yaml', 'test/fixtures/checks/api-unsupported-value/silent.yaml'],
  },
  NS1: {
    code: 'api-invalid-name',
    fixtures: ['test/fixtures/checks/api-invalid-name/trigger.yaml', 'test/fixtures/checks/api-invalid-name/silent.yaml'],
    sameAs: ['M3'],
    note: 'The Namespace-name rule M3; data.rule is "M3".',
  },
  NS2: {
    code: 'api-invalid-name',
    fixtures: ['test/fixtures/checks/api-invalid-name/trigger.yaml', 'test/fixtures/checks/api-invalid-name/silent.yaml'],
  },
  A13: {
    code: 'api-invalid-label-value',
    fixtures: [
      'test/fixtures/checks/api-invalid-label-value/decode-trigger.yaml',
      'test/fixtures/checks/api-invalid-label-value/decode-silent.yaml',
    ],
    note: '§A.13, not a §A.3–A.10 row: a label, selector or annotation value that is a boolean or a number as kubectl reads the YAML (YAML 1.1: yes, on, 1.0, 0755) fails decoding; annotations report it as api-invalid-annotation.',
  },
  A13T: {
    code: 'api-invalid-value',
    fixtures: ['test/fixtures/checks/api-invalid-value/boolean-kustomize.yaml', 'test/fixtures/checks/api-invalid-value/silent.yaml'],
    note: '§A.13, not a §A.3–A.10 row: a boolean field (hostNetwork, tty, runAsNonRoot, paused, suspend, …) given a string or a number fails decoding; a YAML 1.1 word (yes, on) counts only in a Kustomize build, which reads it as a string.',
  },
  A16: {
    code: 'deprecated-api',
    fixtures: ['test/fixtures/checks/deprecated-api/trigger.yaml', 'test/fixtures/checks/deprecated-api/silent.yaml'],
    note: '§A.16, not a §A.3–A.10 row: removed apiVersions against kubeReach.kubernetesVersion.',
  },
  // Gateway API (docs/dev/api-rules.md §A.10a).
  GW1: gatewayRow('api-required-value'),
  GW2: gatewayRow('api-required-value'),
  GW3: gatewayRow('api-required-value'),
  GW4: gatewayRow('api-invalid-port'),
  GW5: gatewayRow('api-required-value'),
  GW6: gatewayRow('api-invalid-port'),
  GW7: gatewayRow('api-unsupported-value'),
  GW8: gatewayRow('api-invalid-host'),
  GW9: gatewayRow('api-unsupported-value'),
  GW10: gatewayRow('api-required-value'),
  GW11: gatewayRow('api-duplicate-value'),
  GW12: gatewayRow('api-unsupported-value'),
  GW13: gatewayRow('api-required-value'),
  GW14: gatewayRow('api-unsupported-value'),
  GW15: gatewayRow('api-required-value'),
  GW16: gatewayRow('api-invalid-value'),
  GW17: gatewayRow('api-invalid-value'),
  GW18: gatewayRow('api-invalid-path'),
  GW19: gatewayRow('api-unsupported-value'),
  GW20: gatewayRow('api-unsupported-value'),
  GW21: gatewayRow('api-invalid-value'),
  GW22: gatewayRow('api-unsupported-value'),
  GW23: gatewayRow('api-required-value'),
  GW24: gatewayRow('api-invalid-value'),
  GW25: gatewayRow('api-invalid-value'),
  GW26: gatewayRow('api-invalid-value'),
  GW27: gatewayRow('api-required-value'),
  GW28: gatewayRow('api-duplicate-value'),
  GW29: gatewayRow('api-invalid-value'),
  GW30: gatewayRow('api-invalid-name'),
  GW31: gatewayRow('api-required-value'),
  GW32: gatewayRow('api-invalid-value'),
  GW33: gatewayRow('api-duplicate-value'),
  GW34: gatewayRow('api-invalid-value'),
  GW35: gatewayRow('api-invalid-value'),
  GW36: gatewayRow('api-invalid-value'),
  GW37: gatewayRow('api-invalid-value'),
  GW38: gatewayRow('api-unsupported-value'),
  GW39: gatewayRow('api-invalid-value'),
  GW40: gatewayRow('api-invalid-value'),
  GW41: gatewayRow('api-invalid-value'),
  GW42: gatewayRow('api-invalid-host'),
  GW43: gatewayRow('api-invalid-host'),
  GW44: gatewayRow('api-invalid-value'),
  GW45: gatewayRow('api-duplicate-value'),
  GW46: gatewayRow('api-invalid-value'),
  GW47: gatewayRow('api-invalid-value'),
  GW48: gatewayRow('api-invalid-value'),
  GW49: gatewayRow('api-invalid-value'),
  GW50: gatewayRow('api-invalid-value'),
  GW51: gatewayRow('api-ignored-field'),
  GW52: {
    code: 'api-required-value',
    fixtures: [
      'test/fixtures/checks/api-required-value/gateway-referencegrant-spec.yaml',
      'test/fixtures/checks/api-required-value/gateway-referencegrant-v1-5-crds.yaml',
    ],
  },
  GW53: {
    code: 'api-required-value',
    fixtures: [
      'test/fixtures/checks/api-required-value/gateway-spec-missing.yaml',
      'test/fixtures/checks/api-required-value/gateway-grpcroute-v1-3-crds.yaml',
    ],
  },
};
