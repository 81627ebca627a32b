import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/** The embeddable widgets' entry; the build emits it as `dist/widgets.js`, a name embedders can rely on. */
const WIDGETS_ENTRY = 'src/widgets/index.ts';

/**
 * Serves `/widgets.js` from the widgets' source in the dev server, so that the demo page's
 * script tag (which the build leaves alone) works there as well.
 */
function widgetsInDev(): Plugin {
  return {
    name: 'mmo-widgets-dev',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url?.split('?')[0] === '/widgets.js') req.url = `/${WIDGETS_ENTRY}`;
        next();
      });
    },
  };
}

export default defineConfig({
  plugins: [widgetsInDev()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The game page bundles Phaser (about 1.2 MB minified), which the default 500 kB warning flags.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        'widgets-demo': resolve(import.meta.dirname, 'widgets-demo.html'),
        // The admin panel, served at /admin/ (dist/admin/index.html).
        admin: resolve(import.meta.dirname, 'admin/index.html'),
        // The widgets share no code with the pages, so this entry is one self-contained ES module.
        widgets: resolve(import.meta.dirname, WIDGETS_ENTRY),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'widgets' ? 'widgets.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: {
    proxy: {
      '/auth': 'http://localhost:2567',
      // The panel's page is /admin/ itself; only the API paths below it go to the server.
      '^/admin/(?!$)': 'http://localhost:2567',
      '/characters': 'http://localhost:2567',
      '/health': 'http://localhost:2567',
      '/public': 'http://localhost:2567',
    },
  },
});
