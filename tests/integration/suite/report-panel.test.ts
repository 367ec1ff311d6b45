// The grade report panel in the real extension host: its serializer brings a report back after a reload.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ReportProbe } from '../../../src/extension/api';
import type { ReportPageModel } from '../../../src/render/report-page';
import { REPORT_VIEW_TYPE } from '../../../src/extension/report-panel';
import type { GradeReport } from '../../../src/grader/types';
import { api, EXTENSION_ID } from './surface';

async function until(ready: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function freshPanel(): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, 'Grade report', { viewColumn: vscode.ViewColumn.Active, preserveFocus: true }, {});
}

describe('the grade report panel', () => {
  const closeAll = () => vscode.commands.executeCommand('workbench.action.closeAllEditors');
  afterEach(closeAll);

  it('registers its serializer and activates on its view type', async () => {
    await api();
    assert.throws(
      () => vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, { deserializeWebviewPanel: async () => undefined }),
      /already registered/,
    );
    const events: string[] = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.activationEvents ?? [];
    assert.ok(events.includes(`onWebviewPanel:${REPORT_VIEW_TYPE}`));
  });

  it('is restored by its serializer from the lab id alone, re-rendered from the stored attempt', async () => {
    const root = await api();
    await closeAll();
    const { catalog } = await root.content();
    const lab = catalog.labs[0];
    assert.ok(lab, 'a lab ships');
    const report: GradeReport = {
      version: 3,
      status: 'fail',
      message: null,
      tests: [],
      lab: { id: lab.qualifiedId, version: '1' },
      suite: 'hidden',
      mode: 'practice',
      points: 7,
      maxPoints: 10,
      tasks: [],
      passed: false,
      durationMs: 12,
      protections: { permissionModel: 'enforced', timeoutMs: 1000, heapMb: 64, nodeVersion: process.version },
      output: '',
      tampering: [],
    } as unknown as GradeReport;
    const { history } = await root.labData();
    await history.save(lab.qualifiedId, { kind: 'graded', files: new Map([['a.ts', Buffer.from('export const answer = 1;\n')]]), report });

    await root.reportPanel.deserializeWebviewPanel(freshPanel(), { labId: lab.qualifiedId });
    const html = root.reportPanel.html ?? '';
    assert.ok(html.includes('<span class="points">7</span> / 10 points'), 'the stored report is shown');
    assert.ok(html.includes(`data-state="{&quot;labId&quot;:&quot;${lab.qualifiedId}&quot;}"`), 'the page saves the lab id for the next reload');
    const nonce = /'nonce-([^']+)'/.exec(html)?.[1];
    assert.ok(nonce && html.includes(`<script nonce="${nonce}"`), 'the script carries this render’s nonce');
  });

  it('says so when the report can no longer be found, and treats forged state the same way', async () => {
    const root = await api();
    for (const state of [{ labId: 'core/no-such-lab' }, { labId: '<script>' }, 'core/x', undefined]) {
      await closeAll();
      await root.reportPanel.deserializeWebviewPanel(freshPanel(), state);
      const html = root.reportPanel.html ?? '';
      assert.ok(html.includes('Grade report not found'), `a message for ${JSON.stringify(state)}`);
      assert.ok(!html.includes('<script'), 'nothing to run');
    }
  });
});

/** A report model as the panel shows it, with `points` to tell one render from another. */
function model(labId: string, points: number): ReportPageModel {
  return {
    labTitle: 'A lab',
    labId,
    status: 'fail',
    points,
    maxPoints: 10,
    message: null,
    durationMs: 5,
    gradedAt: 'now',
    tasks: [],
    failures: [],
    hints: { shown: [], remaining: 0 },
    protections: '',
    canShowSolution: false,
  };
}

/** Runs `act`, then waits for the panel to say a report is on screen. */
async function rendered(probe: ReportProbe, act: () => void): Promise<void> {
  const done = new Promise<void>((resolve) => {
    const listener = probe.onDidRender(() => {
      listener.dispose();
      resolve();
    });
  });
  act();
  await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error('no render within 20 s')), 20_000))]);
}

describe('a report shown in place', () => {
  const closeAll = () => vscode.commands.executeCommand('workbench.action.closeAllEditors');
  afterEach(closeAll);

  it('Submit opens the panel on a grading page; the report is swapped in, and the next one too, without loading a page', async () => {
    const root = await api();
    await closeAll();
    const probe = root.reportPanel;
    const loadsBefore = probe.loads;
    probe.grading({ title: 'A lab', qualifiedId: 'core/a-lab' });
    assert.ok(probe.isOpen);
    assert.match(probe.html ?? '', /Grading: running the hidden tests/);
    await rendered(probe, () => probe.show(model('core/a-lab', 3)));
    assert.match(probe.displayed ?? '', /<span class="points">3<\/span> \/ 10 points/);
    // The grading page loaded once; the report arrived as a message.
    assert.equal(probe.loads - loadsBefore, 1);
    probe.grading({ title: 'A lab', qualifiedId: 'core/a-lab' });
    await rendered(probe, () => probe.show(model('core/a-lab', 7)));
    assert.match(probe.displayed ?? '', /<span class="points">7<\/span> \/ 10 points/);
    assert.equal(probe.loads - loadsBefore, 1);
  });

  it('a grade that ends without a report closes a grading page it opened, and leaves an earlier report', async () => {
    const root = await api();
    await closeAll();
    const probe = root.reportPanel;
    probe.grading({ title: 'A lab', qualifiedId: 'core/a-lab' });
    probe.gradingEnded();
    await until(() => !probe.isOpen, 'the grading page to close');
    await rendered(probe, () => probe.show(model('core/a-lab', 4)));
    probe.grading({ title: 'A lab', qualifiedId: 'core/a-lab' });
    await rendered(probe, () => probe.gradingEnded());
    assert.ok(probe.isOpen);
    assert.match(probe.displayed ?? '', /<span class="points">4<\/span> \/ 10 points/);
  });
});

describe('the ready handshake', () => {
  it('a question page says ready once its script runs, and again after each render', async () => {
    const root = await api();
    const { catalog } = await root.content();
    const [first, second] = catalog.questions;
    assert.ok(first && second);
    await root.openQuestion(first.qualifiedId);
    const panel = root.questionPanels().find((p) => p.questionId === first.qualifiedId);
    assert.ok(panel);
    await until(() => panel.isReady, 'the first page to say ready');
    await panel.show(second.qualifiedId, false);
    assert.equal(panel.isReady, false, 'a new page is not ready until it says so');
    await until(() => panel.isReady, 'the second page to say ready');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
