/** The `hybrid` transport against the real mock server. */
import { describeTransport } from './suite.ts';

describeTransport('hybrid', {});
