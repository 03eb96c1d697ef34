/**
 * The reachability engine's options (`EngineOptions`) and the pods the manifests do not show but
 * diagnostics ask about (`VirtualPod`). Every stage of the engine reads them
 * (docs/dev/design.md §5).
 */

import type { PodLabels } from '../model/labels.js';
import type { ContainerPort } from '../model/types.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { AnalysisSettings, ExternalNamespace, GatewayControllerSetting, IngressControllerSetting } from '../settings.js';

export interface EngineOptions {
  /** ipBlocks overlapping these leave pod→pod verdicts undefined; `[]` = ipBlocks never match pods. */
  readonly podCIDRs: readonly string[];
  /** `undefined`: every verdict involving a hostNetwork pod is undefined (rule 24); `ordinary`: like other pods. */
  readonly hostNetwork: 'undefined' | 'ordinary';
  /** `overwrite` (Kubernetes) or `ifAbsent` (netpol-analyzer) for `kubernetes.io/metadata.name`. */
  readonly namespaceNameLabel: 'overwrite' | 'ifAbsent';
  readonly ingressControllers: readonly IngressControllerSetting[];
  /** Gateway data planes per GatewayClass controller (absent: none are modelled). */
  readonly gatewayControllers?: readonly GatewayControllerSetting[] | undefined;
  readonly externalNamespaces: readonly ExternalNamespace[];
  /** Keep only objects of this unit (a unit path) when variants exist. */
  readonly unit?: string | undefined;
  /** Pods the manifests do not show that diagnostics ask about (classes without a node). */
  readonly virtualPods?: readonly VirtualPod[] | undefined;
  /**
   * Keep only the objects bound to these namespaces (and the Namespace objects naming them).
   * Policies are namespaced, so a verdict between pods of these namespaces reads nothing else: it
   * equals the whole workspace's (at every port; atoms may be coarser). Diagnostics use it to pay
   * for the namespaces they judge, not the workspace.
   */
  readonly namespaces?: readonly string[] | undefined;
  /** The objects to build from instead of every object of the index (with `namespaces`: theirs, so a small engine does not walk the workspace). */
  readonly objects?: readonly Placed[] | undefined;
}

/**
 * A pod the manifests do not show but diagnostics ask about: cluster DNS, cert-manager's HTTP-01
 * solver, "some pod outside the namespace". It becomes a class of kind `Virtual` (synthetic, no
 * node, its ports are not cut points), judged by the same rules as every other class; it never
 * changes a verdict between other classes.
 */
export interface VirtualPod {
  /** Its class name (`PodClass.name`). */
  readonly id: string;
  /**
   * Where it runs: these namespaces; `policies`: every namespace with a NetworkPolicy; `unknown`: one
   * namespace the workspace does not know, whose labels are all unknown (not even its name).
   */
  readonly namespaces: readonly string[] | 'policies' | 'unknown';
  readonly labels: Readonly<Record<string, string>>;
  /** Other labels may exist (selectors on them are undecided). */
  readonly openLabels: boolean;
  readonly ports: readonly ContainerPort[];
  /** What it is in the user's words (`the cluster DNS pods`); explanations add `in NS`. */
  readonly description?: string | undefined;
  /** Its labels as a representative pod knows them (exposure analysis; instead of `labels`/`openLabels`). */
  readonly podLabels?: PodLabels | undefined;
  /**
   * The labels of its namespaces when they are not namespaces of the manifests (a representative
   * namespace of exposure analysis: every namespace a selector admits).
   */
  readonly namespaceLabels?: PodLabels | undefined;
  /** Its container ports are not known (named ports may resolve on it). */
  readonly portsUnknown?: boolean | undefined;
}

/** The namespace of a `VirtualPod` whose namespace is `unknown`. */
export const UNKNOWN_NAMESPACE = '{unknown namespace}';

export function optionsFromSettings(s: AnalysisSettings): EngineOptions {
  return {
    podCIDRs: s.podCIDRs,
    hostNetwork: s.hostNetworkPods,
    namespaceNameLabel: 'overwrite',
    ingressControllers: s.ingressControllers,
    gatewayControllers: s.gatewayControllers,
    externalNamespaces: s.externalNamespaces,
  };
}
