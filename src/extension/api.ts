import type * as vscode from 'vscode';
import type { ReportPageModel } from '../render/report-page';
import type { Catalog } from '../core/catalog/catalog';
import type { AttemptHistory } from '../core/labs/history';
import type { LabState } from '../core/labs/lab-state';
import type { ProgressBook } from '../core/progress/progress-book';
import type { LabSession } from './lab-session';
import type { LabsTree } from './labs-tree';
import type { QuestionsTree } from './questions-tree';

/** Questions that need the user's answer; one seam, so the integration suite can answer them. */
export interface Prompts {
  confirm(message: string, detail: string, action: string): Thenable<boolean>;
}

/** A question panel as the integration suite checks it: its policy, its webview and its handshake. */
export interface PanelProbe {
  readonly lastCsp: string;
  readonly webviewPanel: vscode.WebviewPanel;
  readonly questionId: string;
  /** Whether this render's page has said it is ready for messages. */
  readonly isReady: boolean;
  show(questionId: string, revealed: boolean): Promise<void>;
}

/** The grade report panel as the integration suite drives it: restored as a reload would, shown, then read. */
export interface ReportProbe {
  deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  show(model: ReportPageModel): void;
  grading(lab: { title: string; qualifiedId: string }): void;
  gradingEnded(): void;
  /** The page's HTML as last loaded (a report posted in place is not in it). */
  readonly html: string | undefined;
  /** The report `<main>` the page says it shows, loaded or swapped in. */
  readonly displayed: string | undefined;
  /** Pages loaded so far: one per new page, none for a report posted in place. */
  readonly loads: number;
  /** Whether a panel is open. */
  readonly isOpen: boolean;
  /** Fires when a report page says it has rendered (its script ran) or swapped in a posted report. */
  readonly onDidRender: vscode.Event<void>;
}

/** A lab workspace the integration suite opened as a window on its folder would; the lab commands act on it until close(). */
export interface LabProbe {
  /** The lab the window's commands act on; undefined while no loaded pack provides the folder's lab. */
  session(): LabSession | undefined;
  /** The take-home clock's status bar text; undefined while there is no clock. */
  clockText(): string | undefined;
  /** Whether the lab's tests are in the Testing view. */
  hasTesting(): boolean;
  /** How long each step of setting up the window took (lab-workspace.ts), in order. */
  steps(): readonly { step: string; ms: number }[];
  /** Fires when a public test run (Run or Coverage) has ended; never fires while there is no Testing controller. */
  readonly onDidEndRun: vscode.Event<void>;
  /** Settles once the Testing view holds the workspace's tests (at once when there is no Testing controller). */
  testsFound(): Promise<void>;
  close(): Promise<void>;
}

/**
 * What the integration suite may reach inside the running extension, and nothing more. Given only when the
 * extension host runs tests (`ExtensionMode.Test`); a user's window never exposes it.
 */
export interface TestSurface {
  /** Replaces the modal confirmations (reset progress, show solution, timed labs…) with the suite's answers. */
  setPrompts(prompts: Prompts): void;
  /** Commands that failed so far (each was logged and shown by the error boundary); a command never rejects. */
  failedCommands(): readonly string[];
  /** The trees as the views read them. */
  readonly questionsTree: Pick<QuestionsTree, 'getChildren' | 'getTreeItem'>;
  readonly labsTree: Pick<LabsTree, 'getChildren' | 'getTreeItem'>;
  /** Whether the Questions view hides mastered questions now. */
  hidesMastered(): boolean;
  /** The question panels open now, and opening one as the tree does. */
  questionPanels(): readonly PanelProbe[];
  openQuestion(questionId: string): Promise<void>;
  readonly reportPanel: ReportProbe;
  content(): Promise<{ catalog: Catalog; progress: ProgressBook }>;
  labData(): Promise<{ state: LabState; history: AttemptHistory }>;
  progressFile(): string;
  /** Starts a take-home clock for `session` as a lab workspace would; the suite disposes it. */
  startClock(session: LabSession, recordIntegrity: boolean): Promise<{ flush(): Promise<void>; dispose(): void }>;
  /** Resolves once the grader's spare child has booted and the lab's suites are bundled, as after a minute's work. */
  graderSettled(): Promise<void>;
  /** How long each step of the last Submit took in the extension host (commands/labs.ts). */
  submitSteps(): readonly { step: string; ms: number }[];
  /** Sets up `dir` as this window's lab workspace, as a window opened on that folder does at start-up. */
  openLab(dir: string): Promise<LabProbe>;
  /** The labs the start-of-window export offer would name now; they count as offered (once per lab and window). */
  startOffer(): Promise<string[]>;
}

/** The extension's API, as `activate()` returns it. */
export interface MlopsLabsApi {
  /** Present only in the extension host's test mode. */
  readonly testing?: TestSurface;
}
