/**
 * agentwire/server: the backend half. A producer API (`createRunKit`), the RunLog that keeps
 * every run's events (in memory by default; Redis Streams in agentwire/server/redis), and every
 * endpoint the client relies on (`createRunServer`), mountable as a fetch handler here and on
 * Node's http server / Connect / Express in agentwire/server/node.
 */
export * from './errors.ts';
export { StoredEvent, type EventBody } from './stored-event.ts';
export { normalizeEvent, type EventInput } from './event-input.ts';
export type {
  AppendBatch,
  AppendResult,
  CommandOutcome,
  CreateLogOptions,
  LogTail,
  ProducerCommand,
  ProducerLease,
  RunCheckpoint,
  RunInfo,
  RunLog,
} from './log.ts';
export { MemoryRunLog, DEFAULT_MAX_FINISHED_RUNS, type MemoryRunLogOptions } from './memory-log.ts';
export { RunView, RunViews } from './run-view.ts';
export { Checkpointer, checkMaxEvents } from './checkpoint.ts';
export {
  ProducerRun,
  randomResumeToken,
  type Answer,
  type AskOptions,
  type DecideOptions,
  type DoneOptions,
  type FailOptions,
  type ToolCallInput,
  type ToolResultInput,
} from './producer.ts';
export {
  createRunKit,
  newRunId,
  type CreateRunOptions,
  type Producer,
  type RunKit,
  type RunKitOptions,
} from './kit.ts';
export * from './limits.ts';
export type {
  BodyReply,
  NoReply,
  Reply,
  ServerRequest,
  ServerSocket,
  StreamReply,
  StreamSink,
} from './http/request.ts';
export { NO_REPLY } from './http/request.ts';
export { ConnectionSet, type Killable } from './http/connections.ts';
export {
  EventFeed,
  type FeedOptions,
  type FeedSink,
  type FeedTap,
  type RawFrames,
  type TapOutput,
} from './http/feed.ts';
export { SERVER_PATHS, matchPath, parseRequestUrl, type ServerPaths } from './http/paths.ts';
export { enumParam, flagParam, intParam, numberParam, parseIntValue, type NumberBounds } from './http/params.ts';
export {
  Cors,
  errorReply,
  jsonReply,
  jsonTextReply,
  toHttpError,
  type CorsOptions,
  type CorsOrigins,
} from './http/respond.ts';
export { isRecord, readJsonBody } from './http/body.ts';
export { SSE_HEADERS, encodeAgentwireFrame, heartbeatOf, resumeCursor, type SseEncoder } from './http/sse.ts';
export { eventsPageJson, parsePollQuery, type PollQuery } from './http/poll.ts';
export { CLOSE_LOG_UNAVAILABLE, SocketFeedSink, readCommand, type ReplyObserver } from './http/socket.ts';
export { isTokenRecord, snapshotJson } from './http/handlers.ts';
export { fromFetchRequest, handleFetch, toFetchResponse } from './http/fetch.ts';
export {
  closeReason,
  createRunServer,
  type AuthorizeContext,
  type ConnectionPlan,
  type ConnectionPlanner,
  type ConnectionShape,
  type CreateContext,
  type CreatePlan,
  type Route,
  type RouteContext,
  type RunServer,
  type RunServerOptions,
  type ServerAction,
  type ServerLimits,
  type SocketFeedOptions,
  type SocketRoute,
  type SseOptions,
  type UpgradePlan,
} from './http/server.ts';
