/** The `poll` transport against the real mock server. */
import { describeTransport } from './suite.ts';

describeTransport('poll', { streaming: false, heartbeatOptions: { poll: { waitS: 0.2 } } });
