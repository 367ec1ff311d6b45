// Over 300 lines: the mock interview's command (its quick picks and the resume-or-abandon choice), its one panel
// (question pages and summary) and its store kept together, since each step reads and writes the same record.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DIFFICULTIES, SECTIONS, sectionTitle, type Difficulty, type SectionSlug } from '../core/catalog/sections';
import type { Clock } from '../core/io/clock';
import type { LoadNotice } from '../core/io/json-file';
import type { InterviewRecord } from '../core/practice/interview';
import type { InterviewBook, InterviewListing } from '../core/practice/interviews-store';
import { parseInterviewMessage, type InterviewMessage } from '../render/interview-protocol';
import { answerPage } from './answer-model';
import { shortDateTime } from './date-format';
import type { Content } from './content';
import { background, logFailure } from './errors';
import { loadCore, loadPages } from './lazy';
import { readFileSync } from 'node:fs';
import { Disposable } from './lifecycle';
import { inform, warn } from './messages';

export const INTERVIEW_VIEW_TYPE = 'mlopsLabs.interview';

/**
 * The clock the interview keeps time by: the system clock. The end-to-end suite moves it through a file named by
 * MLOPS_LABS_TEST_CLOCK_FILE in the editor's environment (minutes to add, read at each tick); the variable is set
 * only by the test harness, so a user's clock is always the system's.
 */
const interviewClock: Clock = {
  now: () => {
    const file = process.env['MLOPS_LABS_TEST_CLOCK_FILE'];
    let offset = 0;
    if (file) {
      try {
        offset = Number(readFileSync(file, 'utf8').trim()) || 0;
      } catch {
        offset = 0;
      }
    }
    return new Date(Date.now() + offset * 60_000);
  },
};

/** `mlopsLabs.mockInterview.questionCount`: a fixed number of questions instead of as many as fit the length. */
function fixedCount(): number | undefined {
  const count = vscode.workspace.getConfiguration('mlopsLabs').get<unknown>('mockInterview.questionCount');
  return typeof count === 'number' && Number.isInteger(count) && count > 0 ? count : undefined;
}

/** The mock interview: the command, its panel and its history (interviews.json in global storage). */
export class MockInterviews extends Disposable {
  private bookLoading: Promise<InterviewBook> | undefined;
  private panel: vscode.WebviewPanel | undefined;
  /** The interview on screen: its id, and whether the panel shows its summary. */
  private shown: { id: string; summary: boolean } | undefined;
  private readonly clock = interviewClock;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly storage: string,
    private readonly content: Content,
    private readonly log: vscode.LogOutputChannel,
    private readonly onOpenQuestion: (questionId: string) => void,
    private readonly onStartLab: (labId: string) => void,
  ) {
    super(log);
  }

  /** The history, opened on first use; a corrupt file is set aside and the user told. */
  book(): Promise<InterviewBook> {
    this.bookLoading ??= (async () => {
      const core = loadCore();
      const file = path.join(this.storage, 'interviews.json');
      const { book, notice } = await core.InterviewBook.open(new core.InterviewsStore(file));
      this.tell(file, notice);
      this.register(book.onNotice((n) => this.tell(file, n)));
      return book;
    })();
    return this.bookLoading;
  }

  /** Past interviews, newest first (for the progress dashboard). */
  async listInterviews(): Promise<InterviewListing[]> {
    return (await this.book()).list();
  }

  private tell(file: string, notice: LoadNotice | undefined): void {
    if (!notice) return;
    if (notice.kind === 'recovered') {
      this.log.warn(`${file} was unreadable (${notice.reason}); kept as ${notice.backupFile}.`);
      warn(this.log, `MLOps Interview Labs could not read your mock interviews (${notice.reason}). It was kept as ${path.basename(notice.backupFile)}.`);
    } else {
      this.log.warn(`${file} ${notice.reason}.`);
      warn(this.log, `MLOps Interview Labs: your mock interviews file ${notice.reason}. Interviews are not saved in this window.`);
    }
  }

  /** `MLOps Labs: Start Mock Interview…` */
  async start(): Promise<void> {
    const book = await this.book();
    await book.refresh();
    const interrupted = book.active().filter((r) => r.id !== this.shown?.id || !this.panel);
    for (const record of interrupted) {
      const choice = await vscode.window.showQuickPick(
        [
          { label: 'Resume', description: 'carry on where it stopped', action: 'resume' as const },
          { label: 'Abandon', description: 'keep it in history as abandoned, then start a new one', action: 'abandon' as const },
        ],
        {
          title: `An interview started ${shortDateTime(record.startedAt)} was interrupted at question ${record.current + 1} of ${record.questions.length}`,
          ignoreFocusOut: true,
        },
      );
      if (!choice) return;
      if (choice.action === 'resume') {
        const resumed = await book.apply(record.id, (r) => loadCore().interview.resumeInterview(r, this.clock.now()));
        if (resumed) await this.show(resumed);
        return;
      }
      await book.apply(record.id, (r) => loadCore().interview.abandonInterview(r, this.clock.now()));
    }
    if (this.panel && this.shown && !this.shown.summary) {
      this.panel.reveal();
      return;
    }
    const options = await this.choose();
    if (!options) return;
    const { catalog, progress } = await this.content.get();
    const core = loadCore();
    const now = this.clock.now();
    const plan = core.planInterview(
      catalog.questions.map((q) => ({ id: q.qualifiedId, section: q.section, difficulty: q.difficulty })),
      (id) => {
        const p = progress.progressOf(id);
        const last = p?.ratings[p.ratings.length - 1];
        const due = p?.card ? Date.parse(p.card.due) <= now.getTime() : false;
        return { state: progress.state(id), due, ...(last ? { lastRating: last.rating } : {}), ...(last?.keyPoints ? { lastTicks: last.keyPoints } : {}) };
      },
      { ...options, random: Math.random, ...(fixedCount() ? { count: fixedCount() } : {}) },
    );
    if (plan.length === 0) {
      inform(this.log, `No ${options.level} questions in the sections chosen. Pick another level or more sections.`);
      return;
    }
    const id = `${now.getTime().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
    const record = core.interview.startInterview(id, plan, { ...options, keyPointTotal: (qid) => catalog.question(qid)?.keyPoints.length ?? 0 }, now);
    await book.add(record);
    await this.show(record);
  }

  /** The quick picks: length, level, sections, and whether to end with a lab. */
  private async choose(): Promise<{ lengthMinutes: number; level: Difficulty; sections: SectionSlug[]; withLab: boolean } | undefined> {
    const core = loadCore();
    const title = 'Start Mock Interview';
    const length = await vscode.window.showQuickPick(
      core.INTERVIEW_LENGTHS.map((m) => ({ label: `${m} minutes`, minutes: m })),
      { title: `${title}: length`, placeHolder: 'How long is the interview?' },
    );
    if (!length) return undefined;
    const level = await vscode.window.showQuickPick(
      DIFFICULTIES.map((d) => ({ label: d, description: `about ${core.MINUTES_BY_LEVEL[d]} minutes a question`, level: d })),
      { title: `${title}: level`, placeHolder: 'Which level of questions?' },
    );
    if (!level) return undefined;
    const sections = await vscode.window.showQuickPick(
      SECTIONS.map((s) => ({ label: s.title, slug: s.slug, picked: true })),
      { title: `${title}: sections`, placeHolder: 'Sections to ask from (all by default)', canPickMany: true },
    );
    if (!sections || sections.length === 0) return undefined;
    const lab = await vscode.window.showQuickPick(
      [
        { label: 'Questions only', withLab: false },
        { label: 'End with a lab task', description: `keeps ${core.LAB_MINUTES} minutes for a lab of these sections`, withLab: true },
      ],
      { title: `${title}: lab`, placeHolder: 'End with a lab task under the remaining time?' },
    );
    if (!lab) return undefined;
    return { lengthMinutes: length.minutes, level: level.level, sections: sections.map((s) => s.slug), withLab: lab.withLab };
  }

  /** Shows an interview: its current question while under way, else its summary. */
  private async show(record: InterviewRecord): Promise<void> {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        INTERVIEW_VIEW_TYPE,
        'Mock Interview',
        { viewColumn: vscode.ViewColumn.Active },
        {
          enableScripts: true,
          retainContextWhenHidden: true,
          localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist')],
        },
      );
      this.panel = panel;
      const listeners = [
        panel.webview.onDidReceiveMessage((raw: unknown) => {
          const message = parseInterviewMessage(raw);
          if (message) this.handle(message).catch(logFailure(this.log, `Handling ${message.type} in the mock interview`));
        }),
        panel.onDidDispose(() => {
          listeners.forEach((l) => l.dispose());
          const shown = this.shown;
          this.panel = undefined;
          this.shown = undefined;
          // Closed mid-interview: the clock stops and the next Start offers to resume it.
          if (shown && !shown.summary)
            background(
              this.book().then((book) => book.apply(shown.id, (r) => loadCore().interview.pauseInterview(r, this.clock.now()))),
              this.log,
              'Pausing the mock interview',
            );
        }),
      ];
    }
    this.shown = { id: record.id, summary: record.status !== 'active' };
    await (record.status === 'active' ? this.renderQuestion(record) : this.renderSummary(record));
    this.panel?.reveal();
  }

  private resources(panel: vscode.WebviewPanel): { nonce: string; cspSource: string; styleUri: string; scriptUri: string } {
    const webview = panel.webview;
    return {
      nonce: loadPages().createNonce(),
      cspSource: webview.cspSource,
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'question.css')).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'interview.js')).toString(),
    };
  }

  private async renderQuestion(record: InterviewRecord): Promise<void> {
    const panel = this.panel;
    const item = record.questions[record.current];
    if (!panel || !item) return;
    const { catalog } = await this.content.get();
    const question = catalog.question(item.id);
    const answers = await this.content.answers();
    const { answer: model, rendered: parts } = answerPage(
      answers,
      item.id,
      question
        ? await this.content.renderQuestion(question)
        : {
            context: '<p>This question is no longer in the bank.</p>',
            shortAnswer: '',
            keyPoints: '',
            answer: '',
            pitfalls: '',
            followUps: '',
            sources: '',
            css: '',
          },
    );
    panel.title = `Mock Interview ${record.current + 1}/${record.questions.length}`;
    panel.webview.html = loadPages().buildInterviewQuestionPage(
      {
        index: record.current,
        total: record.questions.length,
        title: question?.title ?? item.id,
        sectionTitle: sectionTitle(item.section),
        level: item.level,
        minutes: item.minutes,
        elapsedMs: loadCore().interview.timeOn(record, record.current, this.clock.now()),
        checked: item.checked,
        ticked: item.ticked,
        answer: model,
      },
      parts,
      this.resources(panel),
    );
  }

  private async renderSummary(record: InterviewRecord): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    const core = loadCore();
    const { catalog } = await this.content.get();
    const now = this.clock.now();
    const summary = core.interview.summariseInterview(record, new Date(record.endedAt ?? now.toISOString()));
    const titleOf = (id: string) => catalog.question(id)?.title ?? id;
    const left = core.interview.minutesLeft(record, new Date(record.endedAt ?? now.toISOString()));
    // The lab offered: the first shipped lab linked to a question asked.
    const linked = record.withLab ? record.questions.flatMap((q) => catalog.question(q.id)?.labIds ?? []).find((id) => catalog.lab(id)) : undefined;
    const labId = record.lab?.labId ?? linked;
    const lab = labId ? catalog.lab(labId) : undefined;
    panel.title = 'Mock Interview Summary';
    panel.webview.html = loadPages().buildInterviewSummaryPage(
      {
        startedAt: record.startedAt,
        when: shortDateTime(record.startedAt),
        lengthMinutes: record.lengthMinutes,
        level: record.level,
        status: record.status,
        totalTime: core.interview.formatDuration(summary.totalMs),
        questions: summary.questions.map((q) => ({
          id: q.id,
          title: titleOf(q.id),
          sectionTitle: sectionTitle(q.section),
          minutes: q.minutes,
          time: core.interview.formatDuration(q.spentMs),
          covered: q.keyPoints.covered,
          total: q.keyPoints.total,
          checked: q.checked,
        })),
        sections: summary.sections.map((s) => ({
          title: sectionTitle(s.section),
          covered: s.covered,
          total: s.total,
          time: core.interview.formatDuration(s.spentMs),
        })),
        weakest: summary.weakestSections.map((s) => sectionTitle(s)),
        reviewNext: summary.reviewNext.map((id) => ({ id, title: titleOf(id) })),
        ...(lab && left > 0
          ? { lab: { id: lab.qualifiedId, title: lab.title, minutesLeft: record.lab?.minutes ?? left, started: record.lab !== undefined } }
          : {}),
      },
      this.resources(panel),
    );
  }

  private async handle(message: InterviewMessage): Promise<void> {
    const shown = this.shown;
    if (!shown) return;
    const book = await this.book();
    const steps = loadCore().interview;
    const record = book.get(shown.id);
    if (!record) return;
    const questionId = record.questions[record.current]?.id;
    switch (message.type) {
      case 'ready':
        return;
      case 'draft':
        if (questionId && !shown.summary) await (await this.content.answers()).saveDraft(questionId, message.text);
        return;
      case 'check':
        if (!questionId || shown.summary) return;
        await (await this.content.answers()).recordAttempt(questionId, message.answer);
        await book.apply(shown.id, (r) => steps.markChecked(r, this.clock.now()));
        return;
      case 'ticks':
        // The question this window shows (record.current as this window last saw it), whatever another did since.
        if (!shown.summary) await book.apply(shown.id, (r) => steps.setTicks(r, record.current, message.ticked, this.clock.now()));
        return;
      case 'go': {
        if (shown.summary) return;
        const moved = await book.apply(shown.id, (r) => steps.goTo(r, r.current + message.direction, this.clock.now()));
        if (moved) await this.show(moved);
        return;
      }
      case 'finish': {
        if (shown.summary) return;
        const finished = await book.apply(shown.id, (r) => steps.finishInterview(r, this.clock.now()));
        if (finished) await this.show(finished);
        return;
      }
      case 'openQuestion':
        return this.onOpenQuestion(message.questionId);
      case 'startLab': {
        const left = steps.minutesLeft(record, new Date(record.endedAt ?? this.clock.now().toISOString()));
        const withLab = await book.apply(shown.id, (r) => steps.recordLab(r, message.labId, left, this.clock.now()));
        if (withLab) await this.show(withLab);
        inform(this.log, `Mock interview: ${left} minutes for the lab task. The lab's own clock is yours to watch.`);
        return this.onStartLab(message.labId);
      }
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  }

  override dispose(): void {
    this.panel?.dispose();
    super.dispose();
  }
}
