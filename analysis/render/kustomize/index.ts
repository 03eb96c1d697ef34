/**
 * The Kustomize builder's façade: `buildKustomization` (build.ts) and what callers need with it.
 */

export { buildKustomization, isKustomizationUri, isRemote, KUSTOMIZATION_FILES } from './build.js';
export { sameTree } from './nodes.js';
export type { BuildProblem, BuildResult } from './build.js';
export type { SubBuildCache } from './subBuilds.js';
