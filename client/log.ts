/** The "Kube Reach" output channel, plus a bounded in-memory copy for the integration suite. */

import * as vscode from 'vscode';

const KEEP = 500;

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly lines: string[] = [];

  constructor(name: string) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  info(message: string): void {
    this.channel.info(message);
    this.keep(`info ${message}`);
  }

  warn(message: string): void {
    this.channel.warn(message);
    this.keep(`warn ${message}`);
  }

  error(message: string): void {
    this.channel.error(message);
    this.keep(`error ${message}`);
  }

  recent(): readonly string[] {
    return [...this.lines];
  }

  dispose(): void {
    this.channel.dispose();
  }

  private keep(line: string): void {
    this.lines.push(line);
    if (this.lines.length > KEEP) this.lines.splice(0, this.lines.length - KEEP);
  }
}
