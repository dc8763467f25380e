import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { registerViewHelpers } from './view-helpers';

type RenderCallback = (error: Error | null, html?: string) => void;

/**
 * An Express view engine on Handlebars: every page is rendered into
 * `views/layouts/main.hbs` (unless `layout: false`), partials come from
 * `views/partials/`, and each template is compiled once per process.
 */
export function handlebarsEngine(viewsDir: string) {
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
  const template = (file: string) => {
    let render = compiled.get(file);
    if (!render) {
      render = handlebars.compile(readFileSync(file, 'utf8'), { strict: false });
      compiled.set(file, render);
    }
    return render;
  };
  const defaultLayout = join(viewsDir, 'layouts', 'main.hbs');

  return (file: string, options: Record<string, unknown>, callback: RenderCallback) => {
    try {
      const body = template(file)(options);
      callback(
        null,
        options.layout === false ? body : template(defaultLayout)({ ...options, body }),
      );
    } catch (error) {
      callback(error as Error);
    }
  };
}
