/**
 * The commands behind the server's code lenses: the Service lens shows the selected workloads in
 * the references peek; the NetworkPolicy lens opens the reachability panel on that policy.
 * Arguments arrive as JSON (LSP locations) and are narrowed here.
 */

import * as vscode from 'vscode';

export const LENS_COMMANDS = {
  showReferences: 'kubeReach.showReferences',
  showPolicy: 'kubeReach.showPolicyReachability',
} as const;

interface JsonPosition {
  line: number;
  character: number;
}

function isPosition(v: unknown): v is JsonPosition {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Record<string, unknown>)['line'] === 'number' &&
    typeof (v as Record<string, unknown>)['character'] === 'number'
  );
}

function toLocation(v: unknown): vscode.Location | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  const range = r['range'];
  if (typeof r['uri'] !== 'string' || typeof range !== 'object' || range === null) return undefined;
  const { start, end } = range as Record<string, unknown>;
  if (!isPosition(start) || !isPosition(end)) return undefined;
  return new vscode.Location(vscode.Uri.parse(r['uri']), new vscode.Range(start.line, start.character, end.line, end.character));
}

export function registerCodeLensCommands(showReachability: string): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(LENS_COMMANDS.showReferences, async (uri: unknown, position: unknown, locations: unknown) => {
      if (typeof uri !== 'string' || !isPosition(position) || !Array.isArray(locations)) return false;
      const locs = locations.map(toLocation).filter((l): l is vscode.Location => l !== undefined);
      await vscode.commands.executeCommand(
        'editor.action.showReferences',
        vscode.Uri.parse(uri),
        new vscode.Position(position.line, position.character),
        locs,
      );
      return true;
    }),
    vscode.commands.registerCommand(LENS_COMMANDS.showPolicy, async (arg: unknown) => {
      const r = typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>) : {};
      const policy = r['policy'];
      // A policy only another unit than the workspace's first takes: the panel shows that unit.
      const unit = r['unit'];
      return vscode.commands.executeCommand(showReachability, {
        ...(typeof policy === 'string' ? { policy } : {}),
        ...(typeof unit === 'string' && unit !== '' ? { unit } : {}),
      });
    }),
  ];
}
