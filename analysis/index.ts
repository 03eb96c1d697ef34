/**
 * The public façade of the analysis core. Other layers import from here only.
 */

export { Analysis, AnalysisHost, PREPARE_KEYS_PER_TURN } from './host.js';
export { DEFAULT_SETTINGS, helmValueFilesFor, readSettings } from './settings.js';
export type { AnalysisSettings } from './settings.js';
export { chartRootOf, chartTreeRootOf, helmCompletion, helmDefinition, helmHover, helmTargetAt } from './ide/helmValues.js';
export { chartValueLayers } from './ide/helmLayers.js';
export type { HelmChartSources, HelmSource } from './ide/helmValues.js';
export { CHECKS } from './checks/registry.js';
export { convertAll, conversionText } from './convert/convertAction.js';
export { lookupContext } from './ide/context.js';
export type { Check } from './checks/support/check.js';
export { editDistance } from './checks/support/similarity.js';
export { positionAt, computeLineStarts } from './text/lineIndex.js';
export type * from './types.js';
export type * from './model/types.js';
export { encodeSegment } from './workspace/paths.js';
export { KUSTOMIZATION_FILES } from './render/kustomize/index.js';
export { MAKEFILE_NAMES } from './workspace/makefiles.js';
export { testAssertion } from './units/placement.js';
export { isRecord } from './narrow.js';
export { FACTS_CACHE_FORMAT, factsCacheSettingsKey, makePack, readPack } from './cache/facts.js';
export { CodecError, decodeValue, encodeValue, encodeValueChunks } from './cache/codec.js';
export type { Utf8 } from './cache/codec.js';
export type { CachedCheckResults, CachedFacts } from './cache/facts.js';
export { lowerApart, lowerValuesApart } from './cache/lowerApart.js';

// Used by server/ and cli/ (the core is entered only through this file; eslint.config.mjs).
export { diagnosticEngineOptions } from './checks/support/checkEngine.js';
export { changeScope, noChanges, sinceBaseTitle, workspaceChanges } from './ide/changes.js';
export type { ChangesMatrices, WorkspaceChanges } from './ide/changes.js';
export { fixAll } from './ide/fixAll.js';
export { OverviewMemory, workspaceOverview } from './ide/overview.js';
export { panelContext, panelPickUnit } from './ide/panelContext.js';
export { ReachabilityMemory, panelExplain, panelGraph } from './ide/panelReach.js';
export {
  connectivityDiff,
  diffEntryJson,
  diffGraph,
  orderDiff,
  renderDiffCsv,
  renderDiffJson,
  renderDiffMarkdown,
  renderDiffText,
} from './reachability/diff.js';
export type { DiffEntry, DiffSide, DiffType, RefNames } from './reachability/diff.js';
export { ReachEngine, optionsFromSettings } from './reachability/engine.js';
export { isPickableUnit, reachNotes } from './reachability/notes.js';
export { ProbeError, explainJson, explainProbe, renderExplainText } from './reachability/explain.js';
export type { Probe, ProbeResult, Via } from './reachability/explain.js';
export { computeExposure } from './reachability/exposure.js';
export { exposureJson, exposureRows, renderExposureText } from './reachability/exposureRender.js';
export type { PortSpace } from './reachability/ports.js';
export { computeReach } from './reachability/connectionList.js';
export type { ReachResult } from './reachability/connectionList.js';
export { reachCsvRows, reachGraph, reachJson, renderJson, renderText } from './reachability/render.js';
export { loadChart, localDependencies, readValuesDocuments, writesNothing } from './render/helm/chart.js';
export { openLocation } from './checks/support/objectPath.js';
export { packedOf } from './workspace/packed.js';
export { manifestText, renderChart, renderNotes } from './render/helm/render.js';
export { mergeValues, parseSet } from './render/helm/values.js';
export type { Values } from './render/helm/values.js';
export { SETTINGS } from './settingsSchema.js';
