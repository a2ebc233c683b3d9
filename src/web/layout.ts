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
<script src="/static/app.js" defer></script>
<script src="/static/live.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <a class="brand" href="/"><img src="/static/favicon.svg" alt="" width="28" height="28">Polling App</a>
  <nav aria-label="Site"><a class="nav-link" href="/new">Create a poll</a></nav>
</header>
<main id="main" tabindex="-1">
${body}
</main>
<footer class="site-footer">
  <p>Served by <span class="served-by">${ctx.servedBy}</span></p>
</footer>
</body>
</html>
`.value;
}
