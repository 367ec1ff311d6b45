// Entry point that VS Code's extension host loads as extensionTestsPath: runs the mocha suites beside it.
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false });
  mocha.addFile(path.join(__dirname, 'extension.test.js'));
  mocha.addFile(path.join(__dirname, 'report-panel.test.js'));
  mocha.addFile(path.join(__dirname, 'pack-take-home.test.js'));
  mocha.addFile(path.join(__dirname, 'timings.test.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
