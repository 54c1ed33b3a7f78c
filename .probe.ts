import { createAnalyzer } from './src/core/analysis/index';
import { findMarkers } from './test/unit/analysis-fixture-helpers';
import * as fs from 'node:fs';
const file = process.argv[2]; const ids = process.argv.slice(3);
const text = fs.readFileSync(file, 'utf8');
createAnalyzer().then((a) => {
  const m = findMarkers(text);
  for (const id of ids.length ? ids : [...m.keys()]) { const p = m.get(id)!; const lang = id.endsWith('-ko') ? 'ko' : 'en'; const e = a.explainAt(text, p.line, p.character, lang as any); console.log(`=== ${id}: ${e?.kind} ${e?.name}\n${e?.markdown}\n`); }
  if (a.lastFailure) console.log('FAILURE', a.lastFailure);
});
