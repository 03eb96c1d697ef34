/** The core's narrowing helpers for client/ and webview/, which do not import analysis/ directly. */
export { isRecord } from '../analysis/narrow.js';
