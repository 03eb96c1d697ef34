/**
 * The product's name, version and addresses, read from package.json at build time (esbuild
 * bundles only the fields imported here), so `kube-reach --version`, SARIF and the language
 * server's `serverInfo` never disagree with the package.
 */

import { homepage, version } from '../package.json';

export const PRODUCT_NAME = 'kube-reach';
export const PRODUCT_VERSION: string = version;
export const HOMEPAGE: string = homepage;

/** Where a check's documentation is published (docs/rules.md, anchored by code). */
export function ruleHelpUri(code: string): string {
  return `${HOMEPAGE.replace(/#.*$/, '').replace(/\/+$/, '')}/blob/main/docs/rules.md#${code}`;
}
