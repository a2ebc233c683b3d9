import { html, type SafeHtml } from './html.js';

export interface PageContext {
  servedBy: string;
}

export function layout(ctx: PageContext, title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Polling App</title>
<link rel="stylesheet" href="/static/app.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
</head>
<body>
<header class="site-header">
  <a class="brand" href="/">Polling App</a>
</header>
<main id="main">
${body}
</main>
<footer class="site-footer">
  <p>Served by <span class="served-by">${ctx.servedBy}</span></p>
</footer>
</body>
</html>
`.value;
}
