import type { Preview } from '@storybook/web-components-vite';
import { setCustomElementsManifest } from '@storybook/web-components-vite';
// Generated from the elements' JSDoc by `npm run analyze` (npm start and build-storybook run it first).
import manifest from '../custom-elements.json' with { type: 'json' };

/** A manifest member, as far as the docs care. */
interface Member {
  kind?: string;
  privacy?: string;
  static?: boolean;
}

/**
 * The public API only: the analyzer also lists private and protected members (controllers,
 * handlers, internal state), which are not part of an element's contract.
 */
function publicApi<T>(cem: T): T {
  const copy = structuredClone(cem) as { modules?: { declarations?: { members?: Member[] }[] }[] };
  for (const module of copy.modules ?? []) {
    for (const declaration of module.declarations ?? []) {
      if (declaration.members)
        declaration.members = declaration.members.filter(
          (m) => !m.static && (m.privacy === undefined || m.privacy === 'public'),
        );
    }
  }
  return copy as T;
}

setCustomElementsManifest(publicApi(manifest));

/** The table categories Storybook fills from custom-elements.json. */
const MANIFEST_CATEGORIES = new Set([
  'attributes',
  'properties',
  'events',
  'slots',
  'css custom properties',
  'css shadow parts',
]);

/**
 * The elements' API rows stay in the docs tables but get no control: every story is driven by a
 * live run (its controls are the run's scenario, transport and fault switches), not by setting
 * an element's properties by hand.
 */
const apiRowsWithoutControls: NonNullable<Preview['argTypesEnhancers']>[number] = ({ argTypes }) =>
  Object.fromEntries(
    Object.entries(argTypes).map(([name, argType]) => {
      const category = argType.table?.category;
      return [
        name,
        category !== undefined && MANIFEST_CATEGORIES.has(category) && argType.control === undefined
          ? { ...argType, control: false }
          : argType,
      ];
    }),
  );

const preview: Preview = {
  tags: ['autodocs'],
  argTypesEnhancers: [apiRowsWithoutControls],
  parameters: {
    controls: { expanded: true },
    a11y: { test: 'error' },
    options: {
      storySort: {
        order: [
          'Console',
          'Elements',
          ['Agent run', 'Run progress', 'Token stream', 'Agent log', 'Approval prompt'],
          'Transports',
          'Faults',
          'Theming',
          'Servers',
        ],
      },
    },
  },
};

export default preview;
