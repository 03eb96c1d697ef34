/**
 * Every check, in the order their findings are computed. Tests assert that each code here has a
 * fixture that triggers it and one that must not, and that docs/rules.md and the README list exactly
 * these codes.
 */

import type { Check } from './check.js';
import { ingressBackendMissing } from './ingressBackendMissing.js';
import { ingressBackendPortMissing } from './ingressBackendPortMissing.js';
import { netpolSelectsNothing } from './netpolSelectsNothing.js';
import { serviceSelectorNoMatch } from './serviceSelectorNoMatch.js';
import { serviceTargetPortUnknown } from './serviceTargetPortUnknown.js';
import { yamlSyntax } from './yamlSyntax.js';

export const CHECKS: readonly Check[] = [
  yamlSyntax,
  serviceSelectorNoMatch,
  serviceTargetPortUnknown,
  ingressBackendMissing,
  ingressBackendPortMissing,
  netpolSelectsNothing,
];
