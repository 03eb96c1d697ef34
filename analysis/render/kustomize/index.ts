/**
 * The Kustomize builder's façade: `buildKustomization` (build.ts) and what callers need with it.
 */

export { buildKustomization, isRemote } from './build.js';
export { isKustomizationUri, KUSTOMIZATION_FILES } from './reading.js';
export { sameTree } from './nodes.js';
export type { BuildProblem, BuildResult } from './build.js';
export type { SubBuildCache } from './subBuilds.js';
