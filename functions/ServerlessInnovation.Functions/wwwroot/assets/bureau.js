// The bureau workspace: sign in (API key or App Service Authentication), upload a catalog straight to Blob storage,
// read ingestion reports, and look at the night's statistics. Everything from the API is shown as text, never as HTML.
import { initLanguage, language, text, pair, h, api, ApiError } from './common.js';

const keyStorage = 'yjrf-bureau-key';
const keyHeader = 'X-Bureau-Key';
const charts = [
  { file: 'tier-mix.svg', title: { zh: '孵化载体认定级别分布', en: 'Carriers by tier' } },
  { file: 'district-bars.svg', title: { zh: '各区县孵化载体数量', en: 'Carriers by district' } },
  { file: 'application-funnel.svg', title: { zh: '入孵申请漏斗（累计）', en: 'Application funnel, to date' } },
  { file: 'trend-30d.svg', title: { zh: '近30天每日入孵申请', en: 'Applications per day, last 30 days' } },
];
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const busyStatuses = new Set(['queued', 'ingesting']);
const cityScope = 'hangzhou';

const $ = (id) => document.getElementById(id);
const state = { key: null, me: null, statistics: null, objectUrls: [], pollTimer: 0, openReport: null };

function headers() {
  return state.key ? { [keyHeader]: state.key } : {};
}

function call(path, options = {}) {
  return api(path, { ...options, headers: { ...headers(), ...(options.headers ?? {}) } });
}

/** A problem as a short block: title, detail, field errors; both languages, one shown. */
function problemView(error) {
  const items = error instanceof ApiError ? error.fieldErrors : [];
  const detail = error instanceof ApiError ? error.detail : { zh: String(error), en: String(error) };
  return [
    h('p', { class: 'problem-title' }, pair(error instanceof ApiError ? error.title : { zh: '出错了', en: 'Something went wrong' })),
    detail.zh || detail.en ? h('p', {}, pair(detail)) : null,
    items.length ? h('ul', {}, items.map((e) => h('li', {}, pair({ zh: e.zh, en: e.en })))) : null,
  ];
}

function showError(region, error) {
  region.replaceChildren(h('div', { class: 'alert error' }, problemView(error)));
}

function formatNumber(value, digits = 2) {
  if (value == null) return '—';
  return new Intl.NumberFormat(language() === 'en' ? 'en-GB' : 'zh-CN', { maximumFractionDigits: digits }).format(value);
}

function formatTime(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(language() === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' })
    .format(new Date(iso));
}

// ---- Sign-in ------------------------------------------------------------------------------------------------------

async function whoAmI() {
  return (await call('/api/bureau/me')).body;
}

function showSignIn(signInUrl) {
  state.me = null;
  $('workspace').hidden = true;
  $('signin').hidden = false;
  $('who').hidden = true;
  $('sign-out').hidden = true;
  $('sign-out-link').hidden = true;
  if (signInUrl && signInUrl.startsWith('/')) {
    $('entra-link').href = signInUrl;
    $('entra').hidden = false;
  }
}

function showWorkspace(me) {
  state.me = me;
  $('signin').hidden = true;
  $('workspace').hidden = false;
  const who = $('who');
  who.replaceChildren(...[pair(me.name)].flat(), me.method === 'app-service-authentication' && me.signedInAs ? ` · ${me.signedInAs}` : '');
  who.hidden = false;
  if (me.method === 'app-service-authentication' && me.signOutUrl?.startsWith('/')) {
    $('sign-out-link').href = me.signOutUrl;
    $('sign-out-link').hidden = false;
  } else {
    $('sign-out').hidden = false;
  }
  fillScopes(me);
  loadDocuments();
  loadStatistics();
}

async function signIn(event) {
  event.preventDefault();
  const input = $('bureau-key');
  const errorRegion = $('signin-error');
  const key = input.value.trim();
  errorRegion.replaceChildren();
  input.removeAttribute('aria-invalid');
  if (!key) {
    input.setAttribute('aria-invalid', 'true');
    errorRegion.replaceChildren(h('p', {}, pair({ zh: '请输入本局的 API 密钥。', en: 'Enter your bureau\'s API key.' })));
    input.focus();
    return;
  }
  state.key = key;
  try {
    const me = await whoAmI();
    try { sessionStorage.setItem(keyStorage, key); } catch { /* private mode: the key lives as long as the page */ }
    input.value = '';
    showWorkspace(me);
    // Focus moves to the workspace; the header, which now says who is signed in, stays in view.
    $('main').focus({ preventScroll: true });
    window.scrollTo(0, 0);
  } catch (error) {
    state.key = null;
    input.setAttribute('aria-invalid', 'true');
    showError(errorRegion, error);
    if (error instanceof ApiError && error.problem?.signInUrl) showSignIn(error.problem.signInUrl);
    input.focus();
  }
}

function signOut() {
  try { sessionStorage.removeItem(keyStorage); } catch { /* ignore */ }
  state.key = null;
  clearTimeout(state.pollTimer);
  releaseObjectUrls();
  $('documents-body').replaceChildren();
  $('report').hidden = true;
  $('charts').replaceChildren();
  $('indicators').hidden = true;
  showSignIn();
  $('bureau-key').focus();
}

async function start() {
  initLanguage();
  $('signin-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  $('upload-form').addEventListener('submit', upload);
  $('documents-refresh').addEventListener('click', () => loadDocuments());
  $('statistics-refresh').addEventListener('click', () => loadStatistics());
  $('scope').addEventListener('change', () => loadStatistics());
  $('statistics-csv').addEventListener('click', downloadCsv);
  for (const button of document.querySelectorAll('[data-template]')) {
    button.addEventListener('click', () => download(`/api/bureau/templates/${button.dataset.template}`, button.dataset.template, $('upload-error')));
  }
  document.addEventListener('languagechange', relabel);

  try { state.key = sessionStorage.getItem(keyStorage); } catch { state.key = null; }
  // Whoever the API says is calling: with the key kept in this tab, or behind App Service Authentication (its cookie).
  // Without either, the API's 401 says whether there is a sign-in page to offer.
  try {
    showWorkspace(await whoAmI());
  } catch (error) {
    if (state.key) {
      state.key = null;
      try { sessionStorage.removeItem(keyStorage); } catch { /* ignore */ }
    }
    showSignIn(error instanceof ApiError ? error.problem?.signInUrl : null);
  }
}

// ---- Upload -------------------------------------------------------------------------------------------------------

function contentTypeOf(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return xlsxType;
  if (name.endsWith('.csv')) return 'text/csv';
  return file.type || 'application/octet-stream';
}

function setProgress(percent) {
  const rounded = Math.max(0, Math.min(100, Math.round(percent)));
  $('upload-bar').value = rounded;
  $('upload-percent').textContent = `${rounded}%`;
}

/** PUTs the file to the upload URL, reporting progress; resolves when storage has it. */
function putToStorage(ticket, file) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(ticket.method || 'PUT', ticket.uploadUrl);
    for (const [name, value] of Object.entries(ticket.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) setProgress((event.loaded / event.total) * 100);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        setProgress(100);
        resolve();
      } else {
        reject(new ApiError(xhr.status, {
          title: `存储服务拒绝了上传（HTTP ${xhr.status}）`, titleEn: `Storage refused the upload (HTTP ${xhr.status})`,
          detail: '上传地址可能已过期，请重新上传。', detailEn: 'The upload URL may have expired; upload again.',
        }));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, {
      title: '无法连接存储服务', titleEn: 'Could not reach storage',
      detail: '请检查网络后重试。', detailEn: 'Check the connection and try again.',
    })));
    xhr.send(file);
  });
}

async function upload(event) {
  event.preventDefault();
  const input = $('catalog-file');
  const status = $('upload-status');
  const errorRegion = $('upload-error');
  const button = $('upload-button');
  const file = input.files?.[0];
  status.replaceChildren();
  errorRegion.replaceChildren();
  input.removeAttribute('aria-invalid');
  if (!file) {
    input.setAttribute('aria-invalid', 'true');
    errorRegion.replaceChildren(h('p', { class: 'field-error' }, pair({ zh: '请选择 CSV 或 XLSX 文件。', en: 'Choose a CSV or XLSX file.' })));
    input.focus();
    return;
  }
  button.disabled = true;
  $('upload-progress').hidden = false;
  setProgress(0);
  try {
    const ticket = (await call('/api/bureau/documents/upload-url', {
      method: 'POST',
      body: { kind: 'catalog', fileName: file.name, contentType: contentTypeOf(file), size: file.size },
    })).body;
    status.replaceChildren(h('p', {}, pair({ zh: '正在上传……', en: 'Uploading…' })));
    await putToStorage(ticket, file);
    const done = await call(ticket.completeUrl, { method: 'POST' });
    const documentView = done.body;
    status.replaceChildren(h('p', { class: 'alert info' }, documentView.status === 'queued'
      ? pair({ zh: `已上传“${documentView.fileName}”，正在导入，结果见下方导入记录。`, en: `Uploaded "${documentView.fileName}"; it is being applied, see Documents below.` })
      : [pair({ zh: `已上传“${documentView.fileName}”：`, en: `Uploaded "${documentView.fileName}": ` }), pair(documentView.statusName)]));
    input.value = '';
    await loadDocuments();
  } catch (error) {
    status.replaceChildren();
    showError(errorRegion, error);
    await loadDocuments();
  } finally {
    button.disabled = false;
  }
}

// ---- Documents ----------------------------------------------------------------------------------------------------

async function loadDocuments() {
  clearTimeout(state.pollTimer);
  const errorRegion = $('documents-error');
  try {
    const page = (await call('/api/bureau/documents?limit=20')).body;
    errorRegion.replaceChildren();
    renderDocuments(page.items);
    // While a catalog is being applied, look again every second.
    if (page.items.some((d) => busyStatuses.has(d.status))) {
      state.pollTimer = setTimeout(loadDocuments, 1000);
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signOut();
    showError(errorRegion, error);
  }
}

function renderDocuments(items) {
  const body = $('documents-body');
  if (items.length === 0) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: '3', class: 'muted' }, pair({ zh: '还没有上传过文件。', en: 'No documents yet.' }))));
    return;
  }
  body.replaceChildren(...items.map((d) => {
    const counts = d.counts
      ? { zh: `导入 ${formatNumber(d.counts.applied, 0)} · 未通过 ${formatNumber(d.counts.refused, 0)}`, en: `applied ${formatNumber(d.counts.applied, 0)} · refused ${formatNumber(d.counts.refused, 0)}` }
      : null;
    const canReport = ['ingested', 'failed', 'duplicate', 'rejected'].includes(d.status);
    return h('tr', {},
      h('th', { scope: 'row', class: 'file-name' }, d.fileName, h('span', { class: 'hint block' }, formatTime(d.createdAt))),
      h('td', {}, h('span', { class: `status status-${d.status}` }, pair(d.statusName)), counts ? h('span', { class: 'hint block' }, pair(counts)) : ''),
      h('td', {}, canReport
        ? h('button', { type: 'button', class: 'secondary small nowrap', onclick: () => openReport(d.id) },
          h('span', { lang: 'zh-CN' }, '查看报告'), h('span', { lang: 'en' }, 'View report'),
          h('span', { class: 'visually-hidden' }, `: ${d.fileName}`))
        : ''));
  }));
}

async function openReport(id) {
  const section = $('report');
  const content = $('report-content');
  section.hidden = false;
  content.replaceChildren(h('p', { class: 'muted' }, pair({ zh: '正在读取报告……', en: 'Loading the report…' })));
  section.focus();
  try {
    const view = (await call(`/api/bureau/documents/${encodeURIComponent(id)}`)).body;
    let report = null;
    if (view.links?.report) {
      const response = await fetch(view.links.report, { credentials: 'omit' });
      if (response.ok) report = await response.json();
    }
    renderReport(view, report);
  } catch (error) {
    showError(content, error);
  }
}

function renderReport(view, report) {
  const counts = report ?? view.counts ?? {};
  const problem = report?.problem ?? (view.problem ? { zh: view.problem.zh, en: view.problem.en } : null);
  const parts = [
    h('p', { class: 'file-name' }, view.fileName, ' · ', pair(view.statusName)),
    h('dl', { class: 'counts' },
      h('div', {}, h('dt', {}, pair({ zh: '数据行', en: 'Rows' })), h('dd', {}, formatNumber(counts.rows, 0))),
      h('div', {}, h('dt', {}, pair({ zh: '已导入', en: 'Applied' })), h('dd', {}, formatNumber(counts.applied, 0))),
      h('div', {}, h('dt', {}, pair({ zh: '未通过', en: 'Refused' })), h('dd', {}, formatNumber(counts.refused, 0)))),
  ];
  if (problem) parts.push(h('div', { class: 'alert error' }, pair({ zh: problem.zh, en: problem.en })));
  const errors = report?.errors ?? [];
  if (errors.length > 0) {
    parts.push(h('div', { class: 'table-scroll' }, h('table', { class: 'refused' },
      h('caption', {}, pair({ zh: '未通过的行', en: 'Refused rows' })),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', class: 'number' }, pair({ zh: '行号', en: 'Row' })),
        h('th', { scope: 'col' }, pair({ zh: '列', en: 'Column' })),
        h('th', { scope: 'col' }, pair({ zh: '代码', en: 'Code' })),
        h('th', { scope: 'col' }, pair({ zh: '原因', en: 'Reason' })))),
      h('tbody', {}, errors.map((e) => h('tr', {},
        h('th', { scope: 'row', class: 'number' }, String(e.row)),
        h('td', {}, e.column ?? '—'),
        h('td', {}, h('code', {}, e.code)),
        h('td', {}, pair({ zh: e.zh, en: e.en }))))))));
    if (report.errorsNotListed > 0) {
      parts.push(h('p', { class: 'muted' }, pair({ zh: `另有 ${report.errorsNotListed} 条错误未列出。`, en: `${report.errorsNotListed} more errors are not listed.` })));
    }
  } else if (report && counts.refused === 0) {
    parts.push(h('p', {}, pair({ zh: '所有行均已导入。', en: 'Every row was applied.' })));
  }
  if (view.links?.refusedRows?.startsWith('http')) {
    parts.push(h('p', {}, h('a', { href: view.links.refusedRows, rel: 'noopener' },
      pair({ zh: '下载未通过的行（CSV，5分钟内有效）', en: 'Download the refused rows (CSV, link valid 5 minutes)' }))));
  }
  $('report-content').replaceChildren(...parts.flat());
}

// ---- Statistics ---------------------------------------------------------------------------------------------------

function fillScopes(me) {
  const select = $('scope');
  const scopes = me.jurisdiction.length > 1 ? [{ code: me.code, name: { zh: '全市', en: 'Whole city' } }, ...me.jurisdiction] : me.jurisdiction;
  select.replaceChildren(...scopes.map((s) => h('option', { value: s.code, 'data-zh': s.name.zh, 'data-en': s.name.en }, text(s.name))));
}

function releaseObjectUrls() {
  for (const url of state.objectUrls) URL.revokeObjectURL(url);
  state.objectUrls = [];
}

async function fetchBlob(path) {
  const response = await fetch(path, { headers: headers() });
  if (!response.ok) {
    const problem = (response.headers.get('Content-Type') ?? '').includes('json') ? await response.json().catch(() => null) : null;
    throw new ApiError(response.status, problem);
  }
  return response.blob();
}

async function download(path, fileName, errorRegion) {
  try {
    const url = URL.createObjectURL(await fetchBlob(path));
    const link = h('a', { href: url, download: fileName, class: 'visually-hidden' }, fileName);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (error) {
    showError(errorRegion, error);
  }
}

function downloadCsv() {
  const view = state.statistics;
  if (view?.files?.['statistics.csv']) download(view.files['statistics.csv'], `${view.date}-statistics.csv`, $('statistics-message'));
}

function valueOf(view, scope, code) {
  return view.scopes.find((s) => s.scope === scope)?.indicators.find((i) => i.code === code)?.value;
}

/** What a chart shows, in words, for its alt text: the title, the day, and the figures it draws. */
function chartAlt(chart, view) {
  const city = view.scopes.some((s) => s.scope === cityScope) ? cityScope : view.scopes[0]?.scope;
  const n = (code) => formatNumber(valueOf(view, city, code), 0);
  const summaries = {
    'tier-mix.svg': { zh: `全市共 ${n('carriers')} 个孵化载体，按认定级别和载体类型分组`, en: `${n('carriers')} carriers in the city, grouped by tier and type` },
    'district-bars.svg': { zh: `13个区县的孵化器与众创空间数量，全市合计 ${n('carriers')} 个`, en: `Incubators and maker spaces in each of the 13 districts, ${n('carriers')} in all` },
    'application-funnel.svg': {
      zh: `累计收到申请 ${n('applications.total.received')} 件，录取 ${n('applications.total.accepted')} 件`,
      en: `${n('applications.total.received')} applications received to date, ${n('applications.total.accepted')} accepted`,
    },
    'trend-30d.svg': { zh: `截至 ${view.date} 的近30天每日收到与录取的申请数`, en: `Applications received and accepted per day in the 30 days to ${view.date}` },
  };
  const summary = text(summaries[chart.file]);
  return `${text(chart.title)}（${view.date}）：${summary}`;
}

async function loadStatistics() {
  const message = $('statistics-message');
  const scope = $('scope').value;
  const query = new URLSearchParams();
  query.append('scope', scope);
  // The charts are of the whole city; its figures describe them in their alt text.
  if (scope !== cityScope) query.append('scope', cityScope);
  $('statistics-csv').disabled = true;
  message.replaceChildren(h('p', { class: 'muted' }, pair({ zh: '正在读取统计……', en: 'Loading statistics…' })));
  let view;
  try {
    view = (await call(`/api/bureau/statistics/latest?${query}`)).body;
  } catch (error) {
    releaseObjectUrls();
    $('charts').replaceChildren();
    $('indicators').hidden = true;
    $('statistics-date').replaceChildren();
    state.statistics = null;
    if (error instanceof ApiError && error.status === 404) {
      message.replaceChildren(h('div', { class: 'alert info' },
        h('p', { class: 'problem-title' }, pair({ zh: '尚无统计数据', en: 'No statistics yet' })),
        h('p', {}, pair({ zh: '统计数据每天凌晨2点（北京时间）生成，请稍后再来查看。', en: 'Statistics are computed every night at 02:00 China time; check back later.' }))));
    } else {
      showError(message, error);
    }
    return;
  }
  state.statistics = view;
  message.replaceChildren();
  $('statistics-date').replaceChildren(...[
    pair({ zh: `统计日期：${view.date}`, en: `Statistics of ${view.date}` }),
    view.generatedAt ? pair({ zh: `（生成于 ${formatTime(view.generatedAt)}）`, en: ` (computed ${formatTime(view.generatedAt)})` }) : '',
  ].flat());
  $('statistics-csv').disabled = !view.files?.['statistics.csv'];
  renderIndicators(view, scope);
  await renderCharts(view);
}

async function renderCharts(view) {
  releaseObjectUrls();
  const container = $('charts');
  container.replaceChildren(...charts.map((chart) => h('figure', { class: 'chart', 'data-file': chart.file },
    h('img', { alt: chartAlt(chart, view), width: '640', height: '400', 'data-chart': chart.file }),
    h('figcaption', {}, pair(chart.title)))));
  await Promise.all(charts.map(async (chart) => {
    const image = container.querySelector(`img[data-chart="${chart.file}"]`);
    const path = view.files?.[chart.file];
    if (!path) return;
    try {
      const url = URL.createObjectURL(await fetchBlob(path));
      state.objectUrls.push(url);
      image.src = url;
    } catch (error) {
      image.replaceWith(h('div', { class: 'alert error' }, problemView(error)));
    }
  }));
}

function renderIndicators(view, scope) {
  const scoped = view.scopes.find((s) => s.scope === scope) ?? view.scopes[0];
  const table = $('indicators');
  $('indicators-caption').replaceChildren(...[pair({ zh: `${scoped.name.zh}各项指标（${view.date}）`, en: `Indicators, ${scoped.name.en} (${view.date})` })].flat());
  $('indicators-body').replaceChildren(...scoped.indicators.map((i) => {
    const share = i.unit?.en === 'share';
    const show = (v) => (v == null ? '—' : share ? `${formatNumber(v * 100, 1)}%` : formatNumber(v));
    const change = i.change == null ? '—' : `${i.change > 0 ? '+' : ''}${share ? `${formatNumber(i.change * 100, 1)}%` : formatNumber(i.change)}`;
    const unit = share || !i.unit?.zh ? '' : i.unit;
    return h('tr', { 'data-code': i.code },
      h('th', { scope: 'row' }, pair(i.name)),
      h('td', { class: 'number' }, show(i.value), unit ? ' ' : '', unit ? pair(unit) : ''),
      h('td', { class: 'number' }, show(i.previous)),
      h('td', { class: `number ${i.change > 0 ? 'up' : i.change < 0 ? 'down' : ''}` }, change));
  }));
  table.hidden = false;
}

/** After a language switch: what cannot hold both languages at once (alt text, options' text is done by setLanguage). */
function relabel() {
  const view = state.statistics;
  if (!view) return;
  for (const chart of charts) {
    const image = document.querySelector(`img[data-chart="${chart.file}"]`);
    if (image) image.alt = chartAlt(chart, view);
  }
}

start();
