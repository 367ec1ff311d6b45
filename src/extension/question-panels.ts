import * as vscode from 'vscode';
import { parsePanelMessage, parsePanelState, ReadyQueue, type HostMessage, type PanelMessage, type PanelState } from '../render/protocol';
import { sectionTitle } from '../core/catalog/sections';
import type { Content } from './content';
import { loadCore, loadPages } from './lazy';
import { logFailure } from './errors';
import { Disposable } from './lifecycle';
import { normaliseTicks } from '../core/progress/key-points';
import type { KeyPointTicks } from '../core/progress/progress';
import { answerPage } from './answer-model';

export const QUESTION_VIEW_TYPE = 'mlopsLabs.question';

/** Logs a failure nobody awaits. (Local for now; one helper for the whole extension replaces it.) */
/**
 * Question panels, like the built-in markdown preview: one preview panel is reused for each question
 * opened; "Pin" keeps a panel, and the next question opens in a new preview. Panels restore after a reload.
 */
export class QuestionPanels extends Disposable implements vscode.WebviewPanelSerializer<unknown> {
  private preview: QuestionPanel | undefined;
  private readonly panels = new Set<QuestionPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly content: Content,
    private readonly log: vscode.LogOutputChannel,
    private readonly onOpenLab: (labId: string) => void,
  ) {
    super(log);
    this.register(vscode.window.registerWebviewPanelSerializer(QUESTION_VIEW_TYPE, this));
    this.register(
      content.onDidChange((ids) => {
        for (const panel of this.panels)
          if (!ids || ids.includes(panel.questionId)) panel.refreshState(ids !== undefined).catch(logFailure(log, `Refreshing ${panel.questionId}`));
      }),
    );
  }

  async open(questionId: string, options: { preserveFocus?: boolean; reason?: string } = {}): Promise<void> {
    if (this.preview) {
      const shown = this.preview.show(questionId, false, options.reason);
      this.preview.webviewPanel.reveal(undefined, options.preserveFocus);
      await shown;
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      QUESTION_VIEW_TYPE,
      'Question',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: options.preserveFocus ?? false },
      this.webviewOptions(),
    );
    await this.adopt(panel, { questionId, revealed: false, pinned: false }, options.reason);
  }

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    webviewPanel.webview.options = this.webviewOptions();
    const saved = parsePanelState(state);
    const { catalog } = await this.content.get();
    if (!saved || !catalog.question(saved.questionId)) {
      webviewPanel.dispose();
      return;
    }
    await this.adopt(webviewPanel, saved);
  }

  /** The panels open now (for commands and the integration suite). */
  get openPanels(): readonly QuestionPanel[] {
    return [...this.panels];
  }

  /** Takes a panel in and renders its question; resolves once the page is set. */
  private adopt(webviewPanel: vscode.WebviewPanel, state: PanelState, reason?: string): Promise<void> {
    const panel = new QuestionPanel(webviewPanel, this.extensionUri, this.content, this.log, state, {
      navigate: (from, direction) => {
        this.navigate(from, direction).catch(logFailure(this.log, `Moving from ${from.questionId}`));
      },
      pin: (from) => this.pin(from),
      openLab: this.onOpenLab,
    });
    this.panels.add(panel);
    if (!state.pinned) {
      // A restored window may hold several unpinned panels; the newest becomes the preview.
      if (this.preview) this.preview.setPinned(true);
      this.preview = panel;
    }
    panel.onDispose(() => {
      this.panels.delete(panel);
      if (this.preview === panel) this.preview = undefined;
    });
    return panel.show(state.questionId, state.revealed, reason);
  }

  private async navigate(from: QuestionPanel, direction: 1 | -1): Promise<void> {
    const { catalog } = await this.content.get();
    const next = loadCore().neighbour(catalog.questions, from.questionId, direction);
    if (!next) return;
    if (from.pinned) await this.open(next.qualifiedId);
    else await from.show(next.qualifiedId, false);
  }

  private pin(panel: QuestionPanel): void {
    panel.setPinned(true);
    if (this.preview === panel) this.preview = undefined;
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableFindWidget: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist')],
    };
  }

  override dispose(): void {
    for (const panel of this.panels) panel.webviewPanel.dispose();
    super.dispose();
  }
}

interface PanelActions {
  navigate(from: QuestionPanel, direction: 1 | -1): void;
  pin(from: QuestionPanel): void;
  openLab(labId: string): void;
}

/** One webview panel showing one question at a time; it owns its listeners and goes with its panel. */
export class QuestionPanel extends Disposable {
  questionId: string;
  private revealed: boolean;
  private reason: string | undefined;
  pinned: boolean;
  /** The page's Content-Security-Policy as last rendered (read by the integration suite). */
  lastCsp = '';
  /** Messages to the page wait until it has said `ready`. */
  private readonly outbox: ReadyQueue<HostMessage>;

  constructor(
    readonly webviewPanel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly content: Content,
    private readonly log: vscode.LogOutputChannel,
    state: PanelState,
    private readonly actions: PanelActions,
  ) {
    super(log);
    this.questionId = state.questionId;
    this.revealed = state.revealed;
    this.pinned = state.pinned;
    this.outbox = new ReadyQueue<HostMessage>((message) => {
      webviewPanel.webview.postMessage(message).then(undefined, logFailure(log, `Posting to the panel of ${this.questionId}`));
    });
    // Hidden, the page is unloaded (no retained context); shown again, it loads and says ready again.
    this.register(
      webviewPanel.onDidChangeViewState(() => {
        if (!webviewPanel.visible) this.outbox.pause();
      }),
    );
    this.register(
      webviewPanel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parsePanelMessage(raw);
        if (message) this.handle(message).catch(logFailure(log, `Handling ${message.type} in ${this.questionId}`));
      }),
    );
    this.register(webviewPanel.onDidDispose(() => this.dispose()));
  }

  /** Runs `listener` once this panel is gone (its webview closed). */
  onDispose(listener: () => void): void {
    this.register({ dispose: listener });
  }

  /** Whether the page has said `ready` since it was last rendered or shown (for the integration suite). */
  get isReady(): boolean {
    return this.outbox.isReady;
  }

  /** Shows a question; resolves once its page is set. */
  show(questionId: string, revealed: boolean, reason?: string): Promise<void> {
    this.questionId = questionId;
    this.revealed = revealed;
    this.reason = reason;
    return this.render();
  }

  setPinned(pinned: boolean): void {
    this.pinned = pinned;
    this.render().catch(logFailure(this.log, `Rendering ${this.questionId}`));
  }

  /** Shows changed progress: a message for one question's new state, a re-render when everything changed. */
  async refreshState(onlyThisQuestion: boolean): Promise<void> {
    if (!onlyThisQuestion) return this.render();
    const { progress } = await this.content.get();
    const due = progress.nextReview(this.questionId);
    const message: HostMessage = {
      type: 'progress',
      state: progress.state(this.questionId),
      ...(due ? { nextReview: loadCore().describeDue(due, new Date()) } : {}),
    };
    this.outbox.post(message);
  }

  private async render(): Promise<void> {
    const { catalog, progress } = await this.content.get();
    const answers = await this.content.answers();
    const question = catalog.question(this.questionId);
    if (!question) {
      this.webviewPanel.dispose();
      return;
    }
    const { answer, rendered } = answerPage(answers, question.qualifiedId, await this.content.renderQuestion(question));
    const render = loadPages();
    const webview = this.webviewPanel.webview;
    const nonce = render.createNonce();
    const due = progress.nextReview(question.qualifiedId);
    const html = render.buildQuestionPage(
      {
        questionId: question.qualifiedId,
        title: question.title,
        sectionTitle: sectionTitle(question.section),
        difficulty: question.difficulty,
        tags: question.tags,
        state: progress.state(question.qualifiedId),
        ...(due ? { nextReview: loadCore().describeDue(due, new Date()) } : {}),
        ...(this.reason ? { reason: this.reason } : {}),
        position: { index: catalog.questions.indexOf(question), total: catalog.questions.length },
        labs: question.labIds.map((id) => {
          const lab = catalog.lab(id);
          return { id, title: lab?.title ?? id.split('/')[1] ?? id, status: lab ? 'shipped' : 'planned' };
        }),
        revealed: this.revealed,
        pinned: this.pinned,
        answer,
      },
      rendered,
      {
        nonce,
        cspSource: webview.cspSource,
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'question.css')).toString(),
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'question.js')).toString(),
      },
    );
    this.lastCsp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    this.webviewPanel.title = question.title.length > 48 ? `${question.title.slice(0, 47)}…` : question.title;
    this.outbox.reset();
    this.webviewPanel.webview.html = html;
  }

  /** The ticks a rate message carried, checked against the question's key points; none for a question without them. */
  private async keyPointTicks(ticked: number[] | undefined): Promise<KeyPointTicks | undefined> {
    if (!ticked) return undefined;
    const { catalog } = await this.content.get();
    const total = catalog.question(this.questionId)?.keyPoints.length ?? 0;
    return total > 0 ? { ticked: normaliseTicks(ticked, total), total } : undefined;
  }

  private async handle(message: PanelMessage): Promise<void> {
    const { progress } = await this.content.get();
    switch (message.type) {
      case 'ready':
        return this.outbox.open();
      case 'reveal': {
        this.revealed = true;
        const revealing = progress.markRevealed(this.questionId);
        if (message.answer !== undefined) await (await this.content.answers()).recordAttempt(this.questionId, message.answer);
        return revealing;
      }
      case 'draft':
        return (await this.content.answers()).saveDraft(this.questionId, message.text);
      case 'rate': {
        // The walkthrough's "rate" step completes on this context key. The change event tells every panel
        // showing this question, this one included.
        vscode.commands.executeCommand('setContext', 'mlopsLabs.hasRated', true).then(undefined, logFailure(this.log, 'Setting mlopsLabs.hasRated'));
        return progress.rate(this.questionId, message.rating, await this.keyPointTicks(message.ticked));
      }
      case 'navigate':
        return this.actions.navigate(this, message.direction);
      case 'pin':
        return this.actions.pin(this);
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        return;
      case 'openLab':
        return this.actions.openLab(message.labId);
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  }
}
