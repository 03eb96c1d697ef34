/**
 * The Gateway API checks (docs/dev/gateway-api.md), in the order their findings are computed.
 */

import type { Check } from '../support/check.js';
import { gatewayBackendBlocked } from './backendBlocked.js';
import { gatewayBackendMissing } from './backendMissing.js';
import { gatewayBackendPortMissing } from './backendPortMissing.js';
import { gatewayBackendWeightsZero } from './weightsZero.js';
import { gatewayHostnameMismatch } from './hostnameMismatch.js';
import { gatewayListenerMissing } from './listenerMissing.js';
import { gatewayParentMissing } from './parentMissing.js';
import { gatewayReferenceNotPermitted } from './referenceNotPermitted.js';
import { gatewayRouteConflict } from './routeConflict.js';
import { gatewayRouteHostnameConflict } from './routeKindConflict.js';
import { gatewayRouteNotAllowed } from './routeNotAllowed.js';
import { gatewayTlsSecretMissing } from './tlsSecretMissing.js';

export const GATEWAY_CHECKS: readonly Check[] = [
  gatewayBackendMissing,
  gatewayBackendPortMissing,
  gatewayBackendWeightsZero,
  gatewayParentMissing,
  gatewayListenerMissing,
  gatewayRouteNotAllowed,
  gatewayHostnameMismatch,
  gatewayRouteConflict,
  gatewayRouteHostnameConflict,
  gatewayReferenceNotPermitted,
  gatewayTlsSecretMissing,
  gatewayBackendBlocked,
];
