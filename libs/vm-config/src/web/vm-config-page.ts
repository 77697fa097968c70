import type { ApiResponse } from '../api/vm-config-api';
import { PAGE_SCRIPT } from './page-script';

/** Where the page is served. */
export const PAGE_PREFIX = '/vm-config';

/** No inline code, nothing from elsewhere: the page's own script, style and API only. */
export const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>VM Config list</title>
<link rel="stylesheet" href="${PAGE_PREFIX}/app.css">
</head>
<body>
<header><h1><a href="#/">VM Config list</a></h1><nav><a href="#/" id="nav-list">All VMs</a> <a href="#/changed" id="nav-changed">Changed recently</a></nav></header>
<main id="main"></main>
<script src="${PAGE_PREFIX}/app.js"></script>
</body>
</html>
`;

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}
header{display:flex;gap:2em;align-items:baseline;padding:.5em 1em;background:#1d3557;color:#fff}
header a{color:#fff}h1{font-size:1.2em;margin:0}main{padding:1em}
form#filters{display:flex;flex-wrap:wrap;gap:.5em 1em;margin-bottom:1em}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
button.sort{border:0;background:none;font-weight:bold;cursor:pointer}
.pager{margin-top:1em;display:flex;gap:1em}
#facts ul{list-style:none;padding-left:1.2em;margin:0}summary{cursor:pointer;font-weight:600}
.key{color:#555}.value{color:#1d3557}.copy{margin-left:.5em;font-size:.8em}
tr.added td{background:#e6ffed}tr.removed td{background:#ffeef0}tr.changed td{background:#fff8c5}
.error{color:#b00020}
`;

const ASSETS: Record<string, { type: string; body: string }> = {
  [`${PAGE_PREFIX}/`]: { type: 'text/html; charset=utf-8', body: HTML },
  [`${PAGE_PREFIX}/app.js`]: { type: 'text/javascript; charset=utf-8', body: PAGE_SCRIPT },
  [`${PAGE_PREFIX}/app.css`]: { type: 'text/css; charset=utf-8', body: CSS },
};

/** The page's HTML, script or style for a path under /vm-config/, or null. They hold no data: every figure comes from the API. */
export function pageAsset(path: string): ApiResponse | null {
  const asset = ASSETS[path === PAGE_PREFIX ? `${PAGE_PREFIX}/` : path];
  if (!asset) return null;
  return {
    status: 200,
    headers: {
      'content-type': asset.type,
      'content-security-policy': PAGE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-cache',
    },
    body: asset.body,
  };
}
