/** The API reference's stylesheet, served from /docs/assets/docs.css (system fonts only). */
export const DOCS_CSS = String.raw`
:root {
  --bg: #ffffff;
  --bg-soft: #f7f8fa;
  --bg-sidebar: #f9fafb;
  --border: #e4e7ec;
  --border-strong: #d0d5dd;
  --text: #1d2939;
  --text-soft: #475467;
  --text-faint: #667085;
  --accent: #0e7c66;
  --accent-soft: #e6f4f0;
  --code-bg: #0f172a;
  --code-text: #e2e8f0;
  --get: #1570ef;
  --post: #079455;
  --put: #b54708;
  --patch: #b54708;
  --delete: #d92d20;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
  --sidebar-width: 272px;
}

* { box-sizing: border-box; }
html { scroll-behavior: smooth; scroll-padding-top: 16px; }
body { margin: 0; font: 15px/1.6 var(--sans); color: var(--text); background: var(--bg); -webkit-font-smoothing: antialiased; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre, kbd { font-family: var(--mono); font-size: 0.86em; }
:not(pre) > code { background: var(--bg-soft); border: 1px solid var(--border); border-radius: 4px; padding: 0.05em 0.35em; }
h1, h2, h3, h4 { line-height: 1.25; margin: 0 0 0.5em; }
h1 { font-size: 2rem; letter-spacing: -0.02em; }
h2 { font-size: 1.45rem; letter-spacing: -0.01em; }
h3 { font-size: 1.1rem; }
h4 { font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--text-faint); margin: 1.6em 0 0.6em; }
p { margin: 0 0 0.9em; }

/* Layout */
.layout { display: flex; min-height: 100vh; }
.sidebar {
  position: sticky; top: 0; height: 100vh; width: var(--sidebar-width); flex: none;
  display: flex; flex-direction: column;
  background: var(--bg-sidebar); border-right: 1px solid var(--border);
}
.brand { padding: 20px 20px 12px; display: flex; align-items: baseline; gap: 8px; }
.brand a { color: var(--text); font-weight: 700; font-size: 1.1rem; letter-spacing: -0.01em; }
.brand a:hover { text-decoration: none; }
.brand .logo { display: inline-block; width: 10px; height: 10px; border-radius: 3px; background: var(--accent); margin-right: 8px; transform: translateY(-1px); }
.brand .version { font-size: 0.75rem; color: var(--text-faint); font-family: var(--mono); }
.filter { padding: 0 16px 12px; }
.filter input {
  width: 100%; padding: 7px 10px; font: inherit; font-size: 0.9rem; color: var(--text);
  background: var(--bg); border: 1px solid var(--border-strong); border-radius: 6px; outline: none;
}
.filter input:focus { border-color: var(--accent); box-shadow: 0 0 0 3px var(--accent-soft); }
.sidebar nav { overflow-y: auto; padding: 4px 8px 24px; flex: 1; }
.nav-group { margin-bottom: 14px; }
.nav-group h2 { font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.07em; color: var(--text-faint); margin: 10px 12px 4px; font-weight: 600; }
.nav-group ul { list-style: none; margin: 0; padding: 0; }
.nav-group a {
  display: flex; align-items: center; gap: 8px; padding: 4px 12px; border-radius: 6px;
  color: var(--text-soft); font-size: 0.88rem; line-height: 1.4;
}
.nav-group a:hover { background: #eef0f3; color: var(--text); text-decoration: none; }
.nav-group a.active { background: var(--accent-soft); color: var(--accent); font-weight: 500; }
.nav-group a .method { flex: none; width: 44px; text-align: center; font-size: 0.62rem; padding: 1px 0; }
.nav-group a { align-items: flex-start; }
.nav-group a .method { margin-top: 2px; }
.nav-group a .label { overflow: hidden; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; }
.nav-empty { margin: 8px 12px; color: var(--text-faint); font-size: 0.88rem; }
[hidden] { display: none !important; }

main { flex: 1; min-width: 0; }
.content { max-width: 1180px; padding: 40px 48px 96px; }
section.doc { padding: 8px 0 28px; border-bottom: 1px solid var(--border); margin-bottom: 28px; }
.lead { font-size: 1.05rem; color: var(--text-soft); max-width: 760px; }
.prose { max-width: 760px; }
.prose ul { padding-left: 1.2em; margin: 0 0 1em; }
.prose li { margin-bottom: 0.35em; }
.facts { display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 16px 0 8px; font-size: 0.9rem; color: var(--text-soft); }
.facts strong { color: var(--text); font-weight: 600; margin-right: 6px; }
.notice { padding: 12px 16px; border-radius: 8px; border: 1px solid var(--border); background: var(--bg-soft); color: var(--text-soft); }
.doc > .code-panel { max-width: 820px; margin-bottom: 8px; }
.notice.error { border-color: #fecdca; background: #fef3f2; color: #b42318; }

/* Tag groups and operations */
.tag-group > h2 { margin-top: 8px; padding-top: 8px; }
.tag-group > .tag-description { color: var(--text-soft); max-width: 760px; }
.op {
  display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 400px); gap: 32px;
  padding: 28px 0 32px; border-top: 1px solid var(--border);
}
.op-main { min-width: 0; }
.op:target > .op-main > .op-head h3 { color: var(--accent); }
.op-head h3 { margin: 0 0 8px; font-size: 1.25rem; }
.op-head h3 a.anchor { color: inherit; }
.op-head h3 a.anchor:hover { text-decoration: none; color: var(--accent); }
.endpoint { display: flex; align-items: center; gap: 10px; font-family: var(--mono); font-size: 0.92rem; margin-bottom: 12px; flex-wrap: wrap; }
.endpoint .path { word-break: break-all; }
.endpoint .path .param { color: var(--accent); }
.method {
  display: inline-block; min-width: 52px; padding: 2px 8px; border-radius: 4px; text-align: center;
  font: 700 0.72rem/1.5 var(--mono); letter-spacing: 0.03em; color: #fff; background: var(--text-faint);
}
.method.get { background: var(--get); }
.method.post { background: var(--post); }
.method.put { background: var(--put); }
.method.patch { background: var(--patch); }
.method.delete { background: var(--delete); }
.method.event { background: #6941c6; }
.meta { display: flex; flex-wrap: wrap; gap: 8px; margin: 4px 0 14px; font-size: 0.8rem; }
.chip {
  display: inline-flex; align-items: center; gap: 4px; padding: 1px 8px; border-radius: 999px;
  border: 1px solid var(--border); background: var(--bg-soft); color: var(--text-soft); white-space: nowrap;
}
.chip code { background: none; border: 0; padding: 0; font-size: 0.95em; }
.chip.public { border-color: #abefc6; background: #ecfdf3; color: #067647; }
.chip.bearer { border-color: #fedf89; background: #fffaeb; color: #b54708; }
.chip.deprecated { border-color: #fecdca; background: #fef3f2; color: #b42318; }
.description p { color: var(--text-soft); }

/* Tables */
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.88rem; }
th, td { text-align: left; vertical-align: top; padding: 8px 8px; border-bottom: 1px solid var(--border); }
th { font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--text-faint); font-weight: 600; background: var(--bg-soft); }
td.name { font-family: var(--mono); font-size: 0.85rem; font-weight: 600; min-width: 100px; }
td.type-cell { min-width: 72px; }
td.desc-cell { width: 50%; min-width: 150px; overflow-wrap: anywhere; }
td .type { font-family: var(--mono); font-size: 0.8rem; color: var(--text-soft); }
.req { color: var(--delete); font-size: 0.72rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; }
.opt { color: var(--text-faint); font-size: 0.72rem; }

/* Schemas */
.media { font-family: var(--mono); font-size: 0.78rem; color: var(--text-faint); margin: 0 0 6px; }
.schema { border: 1px solid var(--border); border-radius: 8px; padding: 4px 14px; background: var(--bg); }
.schema .schema { border: 0; border-left: 2px solid var(--border); border-radius: 0; padding: 0 0 0 14px; margin: 6px 0 2px; }
.prop { padding: 9px 0; border-bottom: 1px solid var(--border); }
.prop:last-child { border-bottom: 0; }
.prop-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; }
.prop-name { font-family: var(--mono); font-size: 0.86rem; font-weight: 600; }
.type-label { font-family: var(--mono); font-size: 0.8rem; color: var(--text-faint); }
.type-label a { color: var(--accent); }
.constraints { display: flex; flex-wrap: wrap; gap: 4px 6px; margin-top: 4px; font-size: 0.76rem; }
.constraints .chip { padding: 0 6px; white-space: normal; border-radius: 10px; overflow-wrap: anywhere; }
.prop-desc { color: var(--text-soft); font-size: 0.88rem; margin-top: 2px; }
.variant-title { font-size: 0.76rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.05em; color: var(--text-faint); margin: 10px 0 0; }
.schema-note { color: var(--text-faint); font-size: 0.85rem; padding: 8px 0; }

/* Responses */
.responses { display: flex; flex-direction: column; gap: 8px; }
details.response { border: 1px solid var(--border); border-radius: 8px; background: var(--bg); }
details.response > summary {
  display: flex; align-items: center; gap: 10px; padding: 8px 12px; cursor: pointer; list-style: none; font-size: 0.9rem;
}
details.response > summary::-webkit-details-marker { display: none; }
details.response > summary::before { content: "\25B8"; color: var(--text-faint); font-size: 0.8rem; transition: transform 0.15s; }
details.response[open] > summary::before { transform: rotate(90deg); }
details.response > .body { padding: 0 12px 12px; }
details.response > .body > .content-block > .schema { border: 0; padding: 0; }
.status { font: 700 0.8rem var(--mono); padding: 1px 7px; border-radius: 4px; }
.status.s2 { color: #067647; background: #ecfdf3; }
.status.s3 { color: #175cd3; background: #eff8ff; }
.status.s4 { color: #b54708; background: #fffaeb; }
.status.s5 { color: #b42318; background: #fef3f2; }
.status-desc { color: var(--text-soft); }

/* Code panels */
.op-aside { position: relative; }
.op-aside .sticky { position: sticky; top: 16px; display: flex; flex-direction: column; gap: 16px; }
.code-panel { border-radius: 10px; background: var(--code-bg); overflow: hidden; box-shadow: 0 1px 2px rgba(16, 24, 40, 0.06); }
.code-panel header {
  display: flex; justify-content: space-between; align-items: center; padding: 8px 14px;
  background: #1e293b; color: #94a3b8; font-size: 0.75rem; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase;
}
.code-panel pre { margin: 0; padding: 14px; overflow-x: auto; color: var(--code-text); font-size: 0.8rem; line-height: 1.55; }
.copy {
  font: inherit; font-size: 0.7rem; color: #cbd5e1; background: transparent; border: 1px solid #334155;
  border-radius: 5px; padding: 2px 8px; cursor: pointer; text-transform: uppercase; letter-spacing: 0.04em;
}
.copy:hover { color: #fff; border-color: #64748b; }

/* Models */
.model { max-width: 820px; margin: 0 0 28px; scroll-margin-top: 16px; }
.model h3 a.anchor { color: var(--text); font-family: var(--mono); font-size: 1rem; }
.model:target h3 a.anchor { color: var(--accent); }

/* Errors */
.errors { display: flex; flex-direction: column; border: 1px solid var(--border); border-radius: 10px; overflow: hidden; }
.error-item { display: grid; grid-template-columns: 64px minmax(0, 1fr); gap: 4px 16px; padding: 14px 18px; border-bottom: 1px solid var(--border); scroll-margin-top: 16px; }
.error-item:last-child { border-bottom: 0; }
.error-item:target { background: var(--accent-soft); }
.error-item .status { align-self: start; justify-self: start; margin-top: 2px; }
.error-item h3 { font-size: 1rem; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; }
.error-item h3 a { color: var(--text); }
.error-item .code { font-family: var(--mono); font-size: 0.8rem; color: var(--text-faint); font-weight: 400; }
.error-item .pt { color: var(--text-faint); font-size: 0.86rem; margin: 2px 0 4px; }
.error-item .pt span { font-size: 0.7rem; font-weight: 600; letter-spacing: 0.04em; border: 1px solid var(--border); border-radius: 4px; padding: 0 4px; margin-right: 6px; }
.error-item p.explain { margin: 0; color: var(--text-soft); font-size: 0.9rem; }
.error-item .type-uri { font-family: var(--mono); font-size: 0.75rem; color: var(--text-faint); margin-top: 4px; }

/* Narrow screens: one column, sidebar on top */
@media (max-width: 1180px) {
  .op { grid-template-columns: minmax(0, 1fr); gap: 16px; }
  .op-aside .sticky { position: static; }
}
@media (max-width: 820px) {
  .layout { display: block; }
  .sidebar { position: static; width: auto; height: auto; border-right: 0; border-bottom: 1px solid var(--border); }
  .sidebar nav { max-height: 40vh; }
  .content { padding: 24px 20px 64px; }
}
@media print {
  .sidebar { display: none; }
  .op-aside .sticky { position: static; }
}
`;
