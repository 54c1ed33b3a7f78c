import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
/** Screenshots and logs of the VS Code tests (gitignored). */
export const outputDir = path.join(repoRoot, '.test-output', 'vscode');
