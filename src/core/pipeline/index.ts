/**
 * The record pipeline: one way from a source record to issues and corrections, used by /validate,
 * the mapping preview, job chunks and the CLI. Pure TypeScript, like the rest of core.
 */
export { isValid, RecordPipeline, type PipelineSetup, type RecordOutcome } from "./record-pipeline";
