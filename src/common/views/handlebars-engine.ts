import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { registerViewHelpers } from './view-helpers';

type RenderCallback = (error: Error | null, html?: string) => void;

export type RenderTemplate = (file: string, context: object) => string;

/**
 * Handlebars with the view helpers and `views/partials/`, each template compiled once per
 * process. Plain-text templates (`*.text.hbs`, e.g. a mail's text part) are not HTML, so
 * they are not HTML-escaped; every other template escapes all `{{ }}` output.
 */
export function templateRenderer(viewsDir: string): RenderTemplate {
  const handlebars = Handlebars.create();
  registerViewHelpers(handlebars);
  const partialsDir = join(viewsDir, 'partials');
  for (const file of readdirSync(partialsDir).filter((name) => name.endsWith('.hbs'))) {
    handlebars.registerPartial(
      basename(file, '.hbs'),
      readFileSync(join(partialsDir, file), 'utf8'),
    );
  }

  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  return (file, context) => {
    let render = compiled.get(file);
    if (!render) {
      render = handlebars.compile(readFileSync(file, 'utf8'), {
        strict: false,
        noEscape: file.endsWith('.text.hbs'),
      });
      compiled.set(file, render);
    }
    return render(context);
  };
}

/**
 * An Express view engine on templateRenderer: every page is rendered into
 * `views/layouts/main.hbs` (unless `layout: false`).
 */
export function handlebarsEngine(viewsDir: string) {
  const render = templateRenderer(viewsDir);
  const defaultLayout = join(viewsDir, 'layouts', 'main.hbs');

  return (file: string, options: Record<string, unknown>, callback: RenderCallback) => {
    try {
      const body = render(file, options);
      callback(null, options.layout === false ? body : render(defaultLayout, { ...options, body }));
    } catch (error) {
      callback(error as Error);
    }
  };
}
