// Runs mocha suites inside this extension host, the way @vscode/test-cli's runner does in desktop VS Code:
// lets the code-server tests prove the desktop suite (test/vscode/suite/desktop/) really passes.

/** The slice of mocha's API used here (typed locally: @types/mocha would add its globals to every file). */
interface MochaTest {
  fullTitle(): string;
}
interface MochaRunner {
  on(event: 'pass', listener: (test: MochaTest) => void): MochaRunner;
  on(event: 'fail', listener: (test: MochaTest, err: Error) => void): MochaRunner;
}
interface MochaInstance {
  addFile(file: string): void;
  run(done: (failures: number) => void): MochaRunner;
}
type MochaConstructor = new (options: { ui: string; timeout: number; color: boolean }) => MochaInstance;

export interface MochaResult {
  passed: string[];
  failed: Array<{ title: string; error: string }>;
}

export function runMocha(mochaPath: string, files: string[]): Promise<MochaResult> {
  // mocha is loaded from the repository at run time, not bundled into the harness.
  const Mocha = require(mochaPath) as MochaConstructor;
  const mocha = new Mocha({ ui: 'tdd', timeout: 120_000, color: false });
  for (const file of files) mocha.addFile(file);
  const result: MochaResult = { passed: [], failed: [] };
  return new Promise((resolve) => {
    mocha
      .run(() => resolve(result))
      .on('pass', (test) => result.passed.push(test.fullTitle()))
      .on('fail', (test, err) => result.failed.push({ title: test.fullTitle(), error: err.message }));
  });
}
