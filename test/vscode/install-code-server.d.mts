export declare const CODE_SERVER_VERSION: string;
/** Installs code-server into test/vscode/env/ unless already installed; returns the entry script to run with node. */
export declare function ensureCodeServer(): Promise<{ entry: string; version: string }>;
