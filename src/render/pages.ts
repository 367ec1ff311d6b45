/**
 * The light render entry (dist/pages.js): the page builders, the nonce and the pre-rendered question lookup.
 * Nothing here loads markdown-it, KaTeX or shiki (those are dist/render.js), so a question whose HTML was
 * rendered at build time or cached on disk opens without them.
 */
export { buildQuestionPage, createNonce, type QuestionPageModel } from './page';
export { buildReportGradingPage, buildReportMain, buildReportMissingPage, buildReportPage, type ReportPageModel } from './report-page';
export { buildInterviewQuestionPage, buildInterviewSummaryPage, type InterviewQuestionModel, type InterviewSummaryModel } from './interview-page';
export { buildDashboardPage } from './dashboard-page';
export { buildPrerender, QuestionRenders, PRERENDER_FILE, type QuestionRendersOptions } from './prerendered';
