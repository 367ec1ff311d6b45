/**
 * Core labs that questions may already link to before they ship (docs/formats.md §3).
 * A planned lab is listed under a question but cannot be opened yet.
 */
export const PLANNED_CORE_LABS: readonly string[] = ['dataloader-tuning', 'zero-memory', 'quantization', 'shadow-deployment', 'dynamic-batching'];
