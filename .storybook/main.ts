import type { StorybookConfig } from '@storybook/web-components-vite';
import { fileURLToPath } from 'node:url';

// Telemetry is off here, in the npm scripts (--disable-telemetry) and via STORYBOOK_DISABLE_TELEMETRY:
// nothing may leave 127.0.0.1 (see ../shared/TOOLCHAIN.md).
process.env['STORYBOOK_DISABLE_TELEMETRY'] = '1';

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y'],
  framework: {
    name: '@storybook/web-components-vite',
    // A Vite config of its own: the mock server mounted into Storybook's dev server (REST, SSE, WebSocket).
    options: { builder: { viteConfigPath: fileURLToPath(new URL('./vite.config.ts', import.meta.url)) } },
  },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // Visitors come for the kit: no Storybook onboarding checklist in the sidebar or the menu.
  features: { sidebarOnboardingChecklist: false, menuOnboardingChecklist: false },
  docs: { defaultName: 'Docs' },
};

export default config;
