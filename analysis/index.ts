/**
 * The public façade of the analysis core. Other layers import from here only.
 */

export { Analysis, AnalysisHost } from './host.js';
export type { HostStats } from './host.js';
export type { CheckFailure } from './checkRunner.js';
export { DEFAULT_SETTINGS, helmValueFilesFor, readSettings } from './settings.js';
export type { AnalysisSettings, ExternalNamespace, HelmSettings } from './settings.js';
export { chartRootOf, chartTreeRootOf, helmCompletion, helmDefinition, helmHover, helmTargetAt } from './ide/helmValues.js';
export { chartValueLayers } from './ide/helmLayers.js';
export type { HelmChartSources, HelmSource, HelmTarget, RenderedAction } from './ide/helmValues.js';
export type { ParentValues, SubchartValues } from './ide/helmLayers.js';
export { CHECKS } from './checks/registry.js';
export { convertAll, conversionText } from './convert/convertAction.js';
export { lookupContext } from './ide/context.js';
export type { Check } from './checks/check.js';
export { positionAt, offsetAt, computeLineStarts } from './text/lineIndex.js';
export type { Position } from './text/lineIndex.js';
export type * from './types.js';
export type * from './model/types.js';
export type { WorkspaceIndex, Placement, Placed } from './index/workspaceIndex.js';
export { encodeSegment } from './index/paths.js';
export { isRecord } from './narrow.js';
export { FACTS_CACHE_FORMAT, factsCacheSettingsKey, makePack, readPack } from './cache/facts.js';
export type { CachedFacts, FactsCachePack } from './cache/facts.js';
