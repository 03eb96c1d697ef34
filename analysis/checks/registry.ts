/**
 * Every check, in the order their findings are computed. Tests assert that each code here has a
 * fixture that triggers it and one that must not, and that docs/rules.md and the README list exactly
 * these codes.
 */

import type { Check } from './support/check.js';
import { API_CHECKS } from './api/index.js';
import { clusterPolicyInvalid } from './clusterPolicyInvalid.js';
import { clusterPolicyRuleShadowed } from './clusterPolicyRuleShadowed.js';
import { clusterPolicySelectsNothing } from './clusterPolicySelectsNothing.js';
import { GATEWAY_CHECKS } from './gateway/index.js';
import { ingressAcmeSolverBlocked } from './ingressAcmeSolverBlocked.js';
import { ingressBackendBlocked } from './ingressBackendBlocked.js';
import { ingressBackendMissing } from './ingressBackendMissing.js';
import { ingressBackendPortMissing } from './ingressBackendPortMissing.js';
import { ingressClassMissing } from './ingressClassMissing.js';
import { ingressNoTls } from './ingressNoTls.js';
import { ingressPathInvalidForClass } from './ingressPathInvalidForClass.js';
import { ingressRuleConflict } from './ingressRuleConflict.js';
import { ingressTlsHostMismatch } from './ingressTlsHostMismatch.js';
import { ingressTlsSecretMissing } from './ingressTlsSecretMissing.js';
import { netpolEgressBlocksDns } from './netpolEgressBlocksDns.js';
import { netpolImplicitIngressIsolation } from './netpolImplicitIngressIsolation.js';
import { netpolIpblockServiceIp } from './netpolIpblockServiceIp.js';
import { netpolLegacyAnnotation } from './netpolLegacyAnnotation.js';
import { netpolNamedPortUnknown } from './netpolNamedPortUnknown.js';
import { netpolPeerAndOr } from './netpolPeerAndOr.js';
import { netpolPeerNoMatch } from './netpolPeerNoMatch.js';
import { netpolPolicyTypesMismatch } from './netpolPolicyTypesMismatch.js';
import { netpolPortIsServicePort } from './netpolPortIsServicePort.js';
import { netpolSelectsNothing } from './netpolSelectsNothing.js';
import { serviceExposed } from './serviceExposed.js';
import { serviceNoEndpoints } from './serviceNoEndpoints.js';
import { serviceProtocolMismatch } from './serviceProtocolMismatch.js';
import { serviceSelectorNoMatch } from './serviceSelectorNoMatch.js';
import { serviceTargetPortPartial } from './serviceTargetPortPartial.js';
import { serviceTargetPortUnknown } from './serviceTargetPortUnknown.js';
import { statefulsetServiceMissing } from './statefulsetServiceMissing.js';
import { workloadNotIsolated } from './workloadNotIsolated.js';
import { workloadProbePortUnknown } from './workloadProbePortUnknown.js';
import { yamlSyntax } from './yamlSyntax.js';
import { inputLimit } from './inputLimit.js';
import { fileTooLarge } from './fileTooLarge.js';
import { yaml11ValueCheck } from './yaml11Value.js';
import { kustomizeBuildProblem } from './kustomizeBuildProblem.js';
import { remoteSourceNotFetched } from './remoteSourceNotFetched.js';
import { helmValuesSchema } from './helmValuesSchema.js';
import { helmValueRequired } from './helmValueRequired.js';

export const CHECKS: readonly Check[] = [
  yamlSyntax,
  inputLimit,
  fileTooLarge,
  yaml11ValueCheck,
  kustomizeBuildProblem,
  remoteSourceNotFetched,
  helmValuesSchema,
  helmValueRequired,
  serviceSelectorNoMatch,
  serviceTargetPortUnknown,
  serviceTargetPortPartial,
  serviceProtocolMismatch,
  serviceNoEndpoints,
  statefulsetServiceMissing,
  serviceExposed,
  ingressBackendMissing,
  ingressBackendPortMissing,
  ingressRuleConflict,
  ingressBackendBlocked,
  ingressAcmeSolverBlocked,
  ingressTlsHostMismatch,
  ingressTlsSecretMissing,
  ingressPathInvalidForClass,
  ingressClassMissing,
  ingressNoTls,
  ...GATEWAY_CHECKS,
  netpolSelectsNothing,
  netpolPeerNoMatch,
  netpolPeerAndOr,
  netpolNamedPortUnknown,
  netpolPortIsServicePort,
  netpolPolicyTypesMismatch,
  netpolEgressBlocksDns,
  netpolImplicitIngressIsolation,
  netpolIpblockServiceIp,
  netpolLegacyAnnotation,
  workloadProbePortUnknown,
  workloadNotIsolated,
  clusterPolicyInvalid,
  clusterPolicyRuleShadowed,
  clusterPolicySelectsNothing,
  ...API_CHECKS,
];
