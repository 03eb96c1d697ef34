/**
 * Helm in VS Code: "Kube Reach: Show Rendered Manifest" opens a chart template's output read-only
 * beside it (a virtual document of the `kube-reach-rendered` scheme, rendered by the server's
 * `kubeReach/renderTemplate`, refreshed after each analysis pass), and the language status item
 * ("Kube Reach: chart shop (values: values.yaml, prod.yaml)", "Kube Reach: 3 objects") that links
 * to the output channel. Server answers arrive as `unknown` and are narrowed here.
 */

import * as vscode from 'vscode';
import type { ServerRequests } from './serverRequests.js';
import { FILE_STATUS_METHOD, RENDER_TEMPLATE_METHOD } from '../protocol/lsp.js';
import type { FileStatusParams, FileStatusResult, RenderTemplateParams, RenderTemplateResult } from '../protocol/lsp.js';
import type { Log } from './log.js';
import { isRecord } from '../protocol/narrow.js';

export const RENDERED_SCHEME = 'kube-reach-rendered';
export const SHOW_RENDERED_COMMAND = 'kubeReach.showRenderedManifest';

/** The documents Kube Reach analyses: YAML, and Helm templates as vscode-kubernetes-tools names them. */
export const MANIFEST_LANGUAGES: readonly string[] = ['yaml', 'helm'];

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function asRenderResult(v: unknown): RenderTemplateResult | undefined {
  if (!isRecord(v) || typeof v['ok'] !== 'boolean' || typeof v['text'] !== 'string') return undefined;
  const r: { -readonly [K in keyof RenderTemplateResult]: RenderTemplateResult[K] } = {
    ok: v['ok'],
    text: v['text'],
    notes: strings(v['notes']),
  };
  if (typeof v['message'] === 'string') r.message = v['message'];
  if (typeof v['chart'] === 'string') r.chart = v['chart'];
  if (typeof v['template'] === 'string') r.template = v['template'];
  if (Array.isArray(v['valueFiles'])) r.valueFiles = strings(v['valueFiles']);
  return r;
}

function asFileStatus(v: unknown): FileStatusResult | undefined {
  if (!isRecord(v) || typeof v['objects'] !== 'number') return undefined;
  return {
    objects: v['objects'],
    ...(typeof v['chart'] === 'string' ? { chart: v['chart'] } : {}),
    ...(Array.isArray(v['valueFiles']) ? { valueFiles: strings(v['valueFiles']) } : {}),
  };
}

/** The virtual document of a template's output: `kube-reach-rendered:/…/deployment (rendered).yaml?<template uri>`. */
export function renderedUri(template: vscode.Uri): vscode.Uri {
  const path = template.path.replace(/(\.[^./]+)?$/, (ext) => ` (rendered)${ext === '' || ext === '.tpl' ? '.yaml' : ext}`);
  return vscode.Uri.from({ scheme: RENDERED_SCHEME, path, query: template.toString() });
}

/** The text the virtual document shows for a server answer: the manifests, or why there are none. */
export function renderedText(r: RenderTemplateResult | undefined, template: string): string {
  if (r === undefined) return `# Kube Reach could not render ${template}: the language server did not answer.\n`;
  const lines: string[] = [];
  if (r.ok) {
    lines.push(
      `# ${r.template ?? template} rendered by Kube Reach with ${(r.valueFiles ?? []).join(', ') || 'values.yaml'} (read-only; see kubeReach.helm.*)`,
    );
    return `${lines.join('\n')}\n${r.text}`;
  }
  lines.push(`# Kube Reach could not render ${r.template ?? template}:`);
  lines.push(`# ${r.message ?? 'unknown reason'}`);
  const others = r.notes.filter((n) => r.message === undefined || !r.message.includes(n));
  if (others.length > 0) lines.push('#', '# Notes on the chart:', ...others.map((n) => `# - ${n}`));
  return `${lines.join('\n')}\n`;
}

export class HelmFeatures implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly status: vscode.LanguageStatusItem;
  private readonly disposables: vscode.Disposable[] = [];
  /** Notes already written to the output channel (each once). */
  private readonly logged = new Set<string>();
  private lastPass: { files: number; durationMs: number } | undefined;

  constructor(
    private readonly client: ServerRequests,
    private readonly log: Log,
    showOutputCommand: string,
  ) {
    const changed = this.changed;
    this.disposables.push(
      changed,
      vscode.workspace.registerTextDocumentContentProvider(RENDERED_SCHEME, {
        onDidChange: changed.event,
        provideTextDocumentContent: (uri) => this.render(uri),
      }),
      vscode.commands.registerCommand(SHOW_RENDERED_COMMAND, (arg: unknown) => this.show(arg)),
      vscode.window.onDidChangeActiveTextEditor(() => void this.updateStatus()),
    );
    this.status = vscode.languages.createLanguageStatusItem(
      'kubeReach.status',
      MANIFEST_LANGUAGES.map((language) => ({ language })),
    );
    this.status.name = 'Kube Reach';
    this.status.text = 'Kube Reach';
    this.status.command = { title: 'Show Output', command: showOutputCommand };
    this.disposables.push(this.status);
  }

  /** After each analysis pass: re-render the open rendered documents, refresh the status. */
  onAnalysisComplete(pass: { files: number; durationMs: number }): void {
    this.lastPass = pass;
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === RENDERED_SCHEME) this.changed.fire(doc.uri);
    void this.updateStatus();
  }

  /** The command: opens the rendered output of `arg` (a URI) or of the active editor's document beside it. */
  private async show(arg: unknown): Promise<{ uri: string; text: string } | undefined> {
    const template = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (template === undefined || template.scheme === RENDERED_SCHEME) {
      void vscode.window.showInformationMessage('Kube Reach: open a Helm chart template to show its rendered manifest.');
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument(renderedUri(template));
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    return { uri: doc.uri.toString(), text: doc.getText() };
  }

  private async render(uri: vscode.Uri): Promise<string> {
    const template = uri.query;
    let result: RenderTemplateResult | undefined;
    try {
      result = asRenderResult(await this.client.sendRequest(RENDER_TEMPLATE_METHOD, { uri: template } satisfies RenderTemplateParams));
    } catch (e) {
      this.log.warn(`rendering ${template} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.logNotes(result?.notes ?? []);
    return renderedText(result, vscode.Uri.parse(template).path.replace(/^.*\//, ''));
  }

  /** Writes what could not be rendered to the output channel, each note once. */
  logNotes(notes: readonly string[]): void {
    for (const n of notes) {
      if (this.logged.has(n)) continue;
      this.logged.add(n);
      this.log.info(`Helm: ${n}`);
    }
  }

  private async updateStatus(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc === undefined || !MANIFEST_LANGUAGES.includes(doc.languageId) || doc.uri.scheme !== 'file') return;
    let status: FileStatusResult | undefined;
    try {
      status = asFileStatus(await this.client.sendRequest(FILE_STATUS_METHOD, { uri: doc.uri.toString() } satisfies FileStatusParams));
    } catch {
      status = undefined;
    }
    if (vscode.window.activeTextEditor?.document !== doc) return;
    if (status === undefined) {
      this.status.text = 'Kube Reach';
      this.status.detail = 'analysing…';
      return;
    }
    this.status.text =
      status.chart !== undefined
        ? `Kube Reach: chart ${status.chart} (values: ${(status.valueFiles ?? []).map((f) => f.slice(f.lastIndexOf('/') + 1)).join(', ')})`
        : `Kube Reach: ${status.objects} object${status.objects === 1 ? '' : 's'}`;
    this.status.detail =
      this.lastPass === undefined ? undefined : `${this.lastPass.files} files analysed in ${Math.round(this.lastPass.durationMs)} ms`;
  }

  /** What the status item shows (for the integration suite). */
  statusText(): string {
    return this.status.text;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
