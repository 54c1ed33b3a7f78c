/** Every file under src/core or src/cli of the checkout at `root` that reaches vscode, as readable lines. */
export function findVscodeImports(root: string): string[];
