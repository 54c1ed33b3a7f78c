/** Bundles test/vscode/suite/desktop/*.suite.ts into `<outDir>/<name>.test.js`; returns the written files. */
export declare function buildDesktopSuites(outDir: string): Promise<string[]>;
