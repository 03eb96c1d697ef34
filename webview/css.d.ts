/** Stylesheets imported for their side effect; esbuild emits them as dist/webview.css. */
declare module '*.css';
