/**
 * kubeReach.schemaAssist (docs/dev/design.md §4): who shows the Kubernetes field docs. Red Hat's YAML extension
 * shows them from its schema; with it active, "auto" leaves them to it so no hover says it twice.
 */

import * as vscode from 'vscode';

export const RED_HAT_YAML = 'redhat.vscode-yaml';

/** "on" or "off", as sent to the server in initializationOptions.schemaAssist. */
export function resolveSchemaAssist(): 'on' | 'off' {
  const setting = vscode.workspace.getConfiguration('kubeReach').get<string>('schemaAssist', 'auto');
  if (setting === 'on' || setting === 'off') return setting;
  return vscode.extensions.getExtension(RED_HAT_YAML) !== undefined ? 'off' : 'on';
}
