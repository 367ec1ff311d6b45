/** The lazily loaded render entry (dist/render.js): markdown-it and shiki, loaded on the first question opened. */
export { renderQuestion, type RenderedQuestion } from './question-view';
export { renderMarkdown as renderAttempt } from './markdown';
export { buildQuestionPage, createNonce, type QuestionPageModel } from './page';
export { buildReportMissingPage, buildReportPage, type ReportPageModel } from './report-page';
export { buildInterviewQuestionPage, buildInterviewSummaryPage, type InterviewQuestionModel, type InterviewSummaryModel } from './interview-page';
export { buildDashboardPage } from './dashboard-page';
