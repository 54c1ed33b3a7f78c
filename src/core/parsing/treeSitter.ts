// web-tree-sitter is loaded through require() on purpose: esbuild then bundles its CommonJS build. Its ESM
// build reads `import.meta.url`, which is undefined in our CommonJS bundles (dist/cli.js, dist/extension.js).
import TreeSitter = require('web-tree-sitter');

export const { Parser, Language, Query, Edit } = TreeSitter;
