// The startup page: profile → matches → one-tap application → status that follows itself.
// Views are sections shown by the hash: '' (profile), #results, #application/{id}, #applications.
// Everything from the API is rendered with h()/pair() (text nodes), never parsed as HTML.
import { initLanguage, h, pair, api, ApiError } from './common.js';

const $ = (id) => document.getElementById(id);
const storageKey = 'yjrf-applications';
const maxChoices = 3;
const pollMs = 2000;

const form = $('profile-form');
const views = ['profile', 'results', 'application', 'applications'];
let lastMatch = null;        // the latest POST /api/matches answer
let picks = [];              // carriers picked as wishes, in the order picked: [{id, name}]
const pendingKeys = new Map(); // submission signature → Idempotency-Key, kept until the API answered
let viewGeneration = 0;      // bumps on every view change, so a poll of an old view stops
let location_ = null;        // {latitude, longitude} once the user shared it
let focusAfterShow = null;   // what the next view change focuses instead of the view's heading

// ---------- small helpers ----------

const zhEn = (zh, en) => ({ zh, en });

function announce(value) {
  const live = $('announcer');
  live.replaceChildren();
  // A fresh node a moment later is announced even when the text repeats.
  setTimeout(() => live.replaceChildren(...[pair(value)].flat()), 50);
}

function formatTime(iso) {
  const date = new Date(iso);
  const options = { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
  return zhEn(new Intl.DateTimeFormat('zh-CN', options).format(date), new Intl.DateTimeFormat('en-GB', options).format(date) + ' (UTC+8)');
}

function number(value, digits = 0) {
  return Number(value).toLocaleString('en-US', { maximumFractionDigits: digits });
}

function problemAlert(container, error) {
  const parts = [h('strong', {}, pair(error.title))];
  if (error.detail.zh || error.detail.en) parts.push(' ', pair(error.detail));
  container.replaceChildren(...parts.flat());
  container.hidden = false;
}

function saved() {
  try {
    const list = JSON.parse(localStorage.getItem(storageKey) ?? '[]');
    return Array.isArray(list) ? list.filter((a) => a && typeof a.id === 'string' && typeof a.accessToken === 'string') : [];
  } catch {
    return [];
  }
}

function save(list) {
  try { localStorage.setItem(storageKey, JSON.stringify(list)); } catch { /* storage off: the status still shows now */ }
  updateMineCount();
}

function updateMineCount() {
  const count = saved().length;
  $('mine-count').replaceChildren(count ? h('span', { class: 'count' }, String(count)) : '');
}

// ---------- routing ----------

function route() {
  let hash = location.hash.slice(1);
  try { hash = decodeURIComponent(hash); } catch { /* a malformed escape: take it as it is */ }
  if (hash === 'results') return { view: lastMatch ? 'results' : 'profile' };
  if (hash.startsWith('application/')) return { view: 'application', id: hash.slice('application/'.length) };
  if (hash === 'applications') return { view: 'applications' };
  return { view: 'profile' };
}

/** Hashes that name a view; others (#main, a field's id) are anchors within the view shown. */
function isRoute(hash) {
  return hash === '' || hash === '#' || hash === '#results' || hash === '#applications' || hash.startsWith('#application/');
}

function show(initial = false) {
  const { view, id } = route();
  viewGeneration++;
  for (const name of views) $(`view-${name}`).hidden = name !== view;
  document.body.classList.toggle('has-pick-bar', view === 'results' && picks.length > 0);
  if (view === 'application') loadApplication(id, viewGeneration);
  if (view === 'applications') renderApplications(viewGeneration);
  if (!initial) {
    if (focusAfterShow && !focusAfterShow.closest('[hidden]')) focusAfterShow.focus();
    else {
      $(`${view}-title`).focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
  }
  focusAfterShow = null;
}

function go(hash) {
  if (location.hash === hash) show();
  else location.hash = hash; // a history entry: Back returns to the view before
}

// ---------- profile form ----------

function localDate(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function setDefaults() {
  const registered = new Date();
  registered.setMonth(registered.getMonth() - 6);
  $('registeredOn').value = localDate(registered);
  $('registeredOn').max = localDate(new Date());
}

function numberOrNull(input) {
  if (input.value.trim() === '') return input.validity.badInput ? Number.NaN : undefined;
  return Number(input.value);
}

function checked(name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

/** The profile as the API wants it; empty optional fields are left out so the API names what is missing. */
function readProfile() {
  const profile = { stage: form.querySelector('input[name="stage"]:checked')?.value };
  if ($('registeredOn').value) profile.registeredOn = $('registeredOn').value;
  profile.industry = $('industry').value;
  for (const name of ['teamSize', 'rdStaffSharePercent', 'lastYearRevenueCny', 'lastYearRdExpenseCny', 'totalAssetsCny']) {
    const value = numberOrNull($(name));
    if (value !== undefined) profile[name] = Number.isNaN(value) ? null : value;
  }
  const classI = numberOrNull($('ipClassI'));
  const classII = numberOrNull($('ipClassII'));
  if (classI !== undefined || classII !== undefined) {
    profile.intellectualProperty = {};
    if (classI !== undefined) profile.intellectualProperty.classI = Number.isNaN(classI) ? null : classI;
    if (classII !== undefined) profile.intellectualProperty.classII = Number.isNaN(classII) ? null : classII;
  }
  const kind = form.querySelector('input[name="spaceKind"]:checked')?.value ?? 'areaM2';
  const amount = numberOrNull($('spaceAmount'));
  profile.space = amount === undefined || Number.isNaN(amount) ? {} : { [kind]: amount };
  profile.wantedServices = checked('wantedServices');
  profile.preferredDistricts = checked('preferredDistricts');
  profile.carrierTypes = checked('carrierTypes');
  if (location_) profile.location = location_;
  profile.top = 20;
  return profile;
}

/** The input an API field path (teamSize, space.areaM2, wantedServices[2]) belongs to, and where its message goes. */
function fieldTarget(field) {
  const path = field.replace(/^profile\./, '').replace(/\[\d+\]$/, '');
  const direct = {
    stage: ['stage-yellow', 'stage-group'],
    registeredOn: ['registeredOn'],
    industry: ['industry'],
    teamSize: ['teamSize'],
    rdStaffSharePercent: ['rdStaffSharePercent'],
    lastYearRevenueCny: ['lastYearRevenueCny'],
    lastYearRdExpenseCny: ['lastYearRdExpenseCny'],
    totalAssetsCny: ['totalAssetsCny'],
    'intellectualProperty.classI': ['ipClassI'],
    'intellectualProperty.classII': ['ipClassII'],
    intellectualProperty: ['ipClassI'],
    space: ['spaceAmount'],
    'space.areaM2': ['spaceAmount'],
    'space.workstations': ['spaceAmount'],
    wantedServices: ['services-group', 'services-group'],
    preferredDistricts: ['districts-group', 'districts-group'],
    carrierTypes: ['types-group', 'types-group'],
    location: ['use-location', 'location-group'],
    'location.latitude': ['use-location', 'location-group'],
    'location.longitude': ['use-location', 'location-group'],
  }[path];
  if (!direct) return null;
  let input = $(direct[0]);
  if (input.tagName === 'FIELDSET') input = input.querySelector('input');
  if (path === 'stage') input = form.querySelector('input[name="stage"]:checked') ?? input;
  const container = direct[1] ? $(direct[1]) : input.closest('.field, fieldset');
  return { input, container, label: labelOf(input, container) };
}

function labelOf(input, container) {
  if (container?.tagName === 'FIELDSET') return container.querySelector('legend');
  return form.querySelector(`label[for="${input.id}"]`) ?? container?.querySelector('legend, label');
}

function clearErrors() {
  for (const message of form.querySelectorAll('.field-error')) message.remove();
  for (const input of form.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    const describedBy = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((t) => t && !t.startsWith('err-'));
    if (describedBy.length) input.setAttribute('aria-describedby', describedBy.join(' '));
    else input.removeAttribute('aria-describedby');
  }
  $('form-summary').hidden = true;
  $('form-summary').replaceChildren();
}

/** Shows the API's field errors next to their inputs, a summary with links at the top, and focuses the first. */
function showFieldErrors(error) {
  clearErrors();
  const summaryItems = [];
  const byInput = new Map();
  let first = null;
  for (const item of error.fieldErrors) {
    const message = zhEn(item.zh, item.en);
    const target = fieldTarget(item.field);
    if (!target) {
      summaryItems.push(h('li', {}, pair(message), ' ', h('span', { class: 'muted' }, `(${item.field})`)));
      continue;
    }
    const { input, container, label } = target;
    if (!byInput.has(input)) {
      byInput.set(input, []);
      if (input.closest('details')) input.closest('details').open = true;
      input.setAttribute('aria-invalid', 'true');
      first ??= input;
    }
    const id = `err-${input.id || input.name}-${byInput.get(input).length}`;
    byInput.get(input).push(id);
    const paragraph = h('p', { class: 'field-error', id }, pair(message));
    if (container.tagName === 'FIELDSET') container.append(paragraph);
    else {
      let anchor = input;
      while (anchor.nextElementSibling?.classList.contains('field-error')) anchor = anchor.nextElementSibling;
      anchor.after(paragraph);
    }
    const describedBy = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    input.setAttribute('aria-describedby', [id, ...describedBy].join(' '));
    const link = h('a', { href: `#${input.id}` }, label ? [...label.childNodes].filter((n) => n.nodeType === 1 && n.lang).map((n) => h('span', { lang: n.lang }, n.textContent)) : '', pair(zhEn('：', ': ')), pair(message));
    link.addEventListener('click', (event) => {
      event.preventDefault();
      input.focus();
    });
    summaryItems.push(h('li', {}, link));
  }
  const summary = $('form-summary');
  // The API's detail speaks to developers ("see errors"); the count in plain words speaks to the founder.
  const count = error.fieldErrors.length;
  summary.replaceChildren(
    h('p', {}, h('strong', {}, pair(error.title)), ' ', pair(zhEn(`有${count}处需要修改：`, `${count} ${count === 1 ? 'entry needs' : 'entries need'} fixing:`))),
    h('ul', {}, summaryItems),
  );
  summary.hidden = false;
  (first ?? summary).focus();
}

async function onSubmit(event) {
  event.preventDefault();
  const button = $('match-button');
  if (button.disabled) return;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  clearErrors();
  try {
    const { body } = await api('/api/matches', { method: 'POST', body: readProfile() });
    lastMatch = body;
    picks = [];
    renderResults();
    go('#results');
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.fieldErrors.length) showFieldErrors(error);
    else {
      problemAlert($('form-summary'), error);
      $('form-summary').focus();
    }
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

function useLocation() {
  const status = $('location-status');
  if (!navigator.geolocation) {
    status.replaceChildren(...pair(zhEn('此浏览器无法提供位置。', 'This browser cannot give a location.')));
    return;
  }
  status.replaceChildren(...pair(zhEn('正在获取位置…', 'Getting your location…')));
  navigator.geolocation.getCurrentPosition(
    (position) => {
      location_ = { latitude: Math.round(position.coords.latitude * 1e5) / 1e5, longitude: Math.round(position.coords.longitude * 1e5) / 1e5 };
      status.replaceChildren(...pair(zhEn('已使用您的位置，结果将显示距离。', 'Your location is used: results show distances.')));
    },
    () => {
      location_ = null;
      status.replaceChildren(...pair(zhEn('未能获取位置，将按首选区县计算。', 'No location available: preferred districts are used instead.')));
    },
    { timeout: 10000, maximumAge: 600000 },
  );
}

// ---------- results ----------

const criteria = {
  industry: zhEn('行业匹配', 'Industry fit'),
  proximity: zhEn('距离/区位', 'Proximity'),
  services: zhEn('服务覆盖', 'Services'),
  vacancy: zhEn('空间余量', 'Free space'),
  tier: zhEn('载体级别', 'Tier'),
  'track-record': zhEn('孵化业绩', 'Track record'),
};

function scoreBar(match) {
  const bar = h('div', { class: 'scorebar', 'aria-hidden': 'true' });
  for (const part of match.parts ?? []) {
    const points = Math.max(0, Number(part.points) || 0);
    if (points <= 0) continue;
    const segment = h('span', { class: `seg seg-${String(part.criterion).replace(/[^a-z-]/g, '')}` });
    segment.style.width = `${Math.min(100, points)}%`;
    bar.append(segment);
  }
  const parts = h('ul', { class: 'visually-hidden' }, (match.parts ?? []).map((part) => h('li', {},
    pair(criteria[part.criterion] ?? zhEn(String(part.criterion), String(part.criterion))),
    pair(zhEn(`：${number(part.points, 1)}分（满分${number(Number(part.weight) * 100)}分）`, `: ${number(part.points, 1)} of ${number(Number(part.weight) * 100)} points`)),
    part.explanation ? [' ', pair(part.explanation)] : '',
  )));
  return h('div', { class: 'score' },
    h('p', { class: 'score-value' }, pair(zhEn('匹配度 ', 'Score ')), h('strong', {}, number(match.score, 1)), pair(zhEn(' / 100 分', ' / 100'))),
    bar, parts);
}

function carrierFacts(match) {
  const carrier = match.carrier ?? {};
  const facts = [];
  if (carrier.type?.name) facts.push(h('li', {}, pair(carrier.type.name)));
  if (carrier.tier?.name) {
    facts.push(h('li', {}, pair(carrier.tier.name),
      carrier.tier.inForce === false ? pair(zhEn('（已失效）', ' (lapsed)')) : pair(zhEn('（有效）', ' (in force)'))));
  } else {
    facts.push(h('li', {}, pair(zhEn('暂无认定级别', 'No tier yet'))));
  }
  if (carrier.district?.name) facts.push(h('li', {}, pair(carrier.district.name)));
  if (match.distanceKm != null) facts.push(h('li', {}, pair(zhEn(`距您${number(match.distanceKm, 1)}公里`, `${number(match.distanceKm, 1)} km away`))));
  facts.push(h('li', {}, pair(zhEn(`空余${number(carrier.freeAreaM2)}平方米`, `${number(carrier.freeAreaM2)} m² free`)),
    carrier.freeWorkstations ? pair(zhEn(`、${number(carrier.freeWorkstations)}个工位`, `, ${number(carrier.freeWorkstations)} desks`)) : ''));
  return h('ul', { class: 'facts' }, facts);
}

function resultCard(match) {
  const carrier = match.carrier ?? {};
  const id = String(carrier.id ?? '');
  const name = String(carrier.name ?? id);
  const headingId = `carrier-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const pickBox = h('input', { type: 'checkbox', class: 'pick', 'data-carrier': id });
  pickBox.addEventListener('change', () => togglePick(id, name, pickBox));
  // Each button and checkbox names its carrier for screen readers, so a list of them is not twenty times "Apply".
  const applyButton = h('button', { type: 'button', class: 'apply' }, pair(zhEn('申请入驻', 'Apply')), h('span', { class: 'visually-hidden' }, pair(zhEn('：', ': ')), name));
  applyButton.addEventListener('click', () => submitApplication([{ id, name }], applyButton));
  return h('li', { class: 'card result', 'data-carrier': id },
    h('h3', { id: headingId }, h('span', { class: 'rank' }, `${match.rank}. `), name),
    carrierFacts(match),
    scoreBar(match),
    h('ul', { class: 'reasons' }, (match.reasons ?? []).map((reason) => h('li', {}, pair(reason)))),
    h('div', { class: 'card-actions' },
      applyButton,
      h('label', { class: 'check pick-label' }, pickBox, h('span', {}, pair(zhEn('加入志愿', 'Add as a wish')), h('span', { class: 'visually-hidden' }, pair(zhEn('：', ': ')), name), h('span', { class: 'pick-order' })))),
  );
}

function legend() {
  return h('ul', { class: 'legend', 'aria-hidden': 'true' },
    Object.entries(criteria).map(([code, name]) => h('li', {}, h('span', { class: `key seg-${code}` }), pair(name))));
}

function exclusionList(result) {
  return h('ul', {}, (result.exclusions ?? []).map((e) => h('li', {}, pair(e.reason), pair(zhEn(`：${e.count}家`, `: ${e.count}`)))));
}

function renderResults() {
  const result = lastMatch;
  const summary = $('results-summary');
  const matches = result.matches ?? [];
  const parts = [];
  parts.push(h('p', {}, pair(zhEn(
    `共评估${result.considered}家载体，${result.eligible}家符合条件，按匹配度列出前${matches.length}家。`,
    `${result.considered} carriers considered, ${result.eligible} fit; the best ${matches.length} are listed.`))));
  if (result.techSme?.explanation) {
    const status = String(result.techSme.status ?? '');
    const alert = h('div', { class: `alert ${status === 'qualified' ? 'good' : 'info'}` },
      h('strong', {}, pair(zhEn('科技型中小企业评价：', 'Tech-based SME test: '))), pair(result.techSme.explanation));
    if (status === 'not-assessed') {
      // Many incubators require the test: offer the way to the fields that let it be scored.
      const add = h('button', { type: 'button', class: 'secondary add-figures' }, pair(zhEn('补充收入和研发费用', 'Add revenue and R&D expense')));
      add.addEventListener('click', () => {
        $('more').open = true;
        focusAfterShow = $('lastYearRdExpenseCny');
        go('#');
      });
      alert.append(h('div', {}, add));
    }
    parts.push(alert);
  }
  if ((result.exclusions ?? []).length) {
    const details = h('details', { class: 'exclusions' },
      h('summary', {}, pair(zhEn(`${result.excluded}家因以下原因未纳入`, `${result.excluded} left out, for these reasons`))),
      h('p', { class: 'hint' }, pair(zhEn('一家载体可能同时不满足多项条件。', 'A carrier may fail more than one rule.'))),
      exclusionList(result));
    if (!matches.length) details.open = true;
    parts.push(details);
  }
  if (!matches.length) {
    parts.unshift(h('div', { class: 'alert error' }, h('strong', {}, pair(zhEn('暂时没有符合条件的载体', 'No carrier fits this profile yet'))), ' ',
      pair(zhEn('原因如下，可修改资料（如所需面积、载体类型）后重新匹配。', 'See why below; change the profile (space, kinds of carrier) and try again.'))));
  } else {
    parts.push(legend());
  }
  summary.replaceChildren(...parts);
  $('apply-error').hidden = true;
  $('results-list').replaceChildren(...matches.map(resultCard));
  renderPicks();
}

function togglePick(id, name, box) {
  if (box.checked) {
    if (picks.length >= maxChoices) {
      box.checked = false;
      announce(zhEn(`最多选择${maxChoices}个志愿`, `At most ${maxChoices} wishes`));
      return;
    }
    picks.push({ id, name });
  } else {
    picks = picks.filter((p) => p.id !== id);
  }
  renderPicks();
  announce(zhEn(`已选${picks.length}个志愿`, `${picks.length} wish${picks.length === 1 ? '' : 'es'} picked`));
}

function renderPicks() {
  for (const box of $('results-list').querySelectorAll('input.pick')) {
    const index = picks.findIndex((p) => p.id === box.dataset.carrier);
    box.checked = index >= 0;
    box.disabled = index < 0 && picks.length >= maxChoices;
    const order = box.parentElement.querySelector('.pick-order');
    order.replaceChildren(...(index >= 0 ? pair(zhEn(`（第${index + 1}志愿）`, ` (wish ${index + 1})`)) : []));
  }
  const bar = $('pick-bar');
  bar.hidden = picks.length === 0;
  document.body.classList.toggle('has-pick-bar', picks.length > 0);
  $('pick-text').replaceChildren(
    ...pair(zhEn('志愿顺序：', 'Order: ')),
    ...picks.map((p, i) => h('span', { class: 'pick-name' }, `${i + 1}. ${p.name}`)),
  );
  $('pick-submit').replaceChildren(...pair(zhEn(`提交${picks.length}个志愿`, `Apply to ${picks.length}`)));
}

async function submitApplication(choices, button) {
  if (!lastMatch || button.disabled) return;
  const carrierIds = choices.map((c) => c.id);
  const signature = `${lastMatch.matchId}|${carrierIds.join(',')}`;
  // A retry of the same submission reuses its key, so the API returns the same application rather than a second one.
  if (!pendingKeys.has(signature)) pendingKeys.set(signature, crypto.randomUUID());
  const errorBox = $('apply-error');
  errorBox.hidden = true;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const { body } = await api('/api/applications', {
      method: 'POST',
      headers: { 'Idempotency-Key': pendingKeys.get(signature) },
      body: { matchId: lastMatch.matchId, carrierIds },
    });
    pendingKeys.delete(signature);
    const list = saved().filter((a) => a.id !== body.id);
    list.unshift({ id: body.id, accessToken: body.accessToken, submittedAt: body.submittedAt, names: choices.map((c) => c.name) });
    save(list);
    picks = [];
    renderPicks();
    go(`#application/${encodeURIComponent(body.id)}`);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status >= 400 && error.status < 500) pendingKeys.delete(signature); // refused: a new attempt is a new request
    problemAlert(errorBox, error);
    if (error.fieldErrors.length) errorBox.append(h('ul', {}, error.fieldErrors.map((e) => h('li', {}, pair(e)))));
    if (error.status === 0 || error.status >= 500) errorBox.append(h('p', {}, pair(zhEn('可再次点击重试，不会重复提交。', 'Tap again to retry; it will not be submitted twice.'))));
    errorBox.focus();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

// ---------- one application ----------

const decided = new Set(['accepted', 'waitlisted', 'rejected', 'failed', 'withdrawn']);

function statusBadge(status) {
  const code = String(status?.code ?? '').replace(/[^a-z-]/g, '');
  return h('span', { class: `badge status-${code}` }, pair(status?.name ?? zhEn(code, code)));
}

function row(term, ...value) {
  return [h('dt', {}, pair(term)), h('dd', {}, ...value)];
}

function renderApplication(view, entry, generation, confirming = false) {
  const body = $('application-body');
  const facts = [
    ...row(zhEn('状态', 'Status'), statusBadge(view.status)),
    ...row(zhEn('申请编号', 'Application'), h('code', {}, view.id)),
    ...row(zhEn('提交时间', 'Submitted'), pair(formatTime(view.submittedAt))),
  ];
  if (view.decidedAt) facts.push(...row(zhEn('决定时间', 'Decided'), pair(formatTime(view.decidedAt))));
  facts.push(...row(zhEn('志愿', 'Wishes'), h('ol', { class: 'plain-ol' }, (view.choices ?? []).map((c) => h('li', {}, c.name ?? c.carrierId)))));
  if (view.carrier) facts.push(...row(zhEn('入驻载体', 'Carrier'), view.carrier.name ?? view.carrier.carrierId));
  if (view.seat) facts.push(...row(zhEn('预留席位', 'Seat reserved'), pair(view.seat.text)));

  const card = h('div', { class: 'card status-card' },
    h('dl', { class: 'facts-list' }, facts),
    h('h3', {}, pair(zhEn('说明', 'Reasons'))),
    h('ul', { class: 'reasons' }, (view.reasons ?? []).map((r) => h('li', {}, pair(r)))),
    h('h3', {}, pair(zhEn('处理记录', 'History'))),
    h('ol', { class: 'history' }, (view.history ?? []).map((event) => h('li', {},
      h('time', { datetime: event.at }, pair(formatTime(event.at))), ' ', statusBadge(event.status),
      (event.reasons ?? []).length ? h('ul', {}, event.reasons.map((r) => h('li', {}, pair(r)))) : ''))),
  );
  if (view.status?.code === 'submitted') {
    card.append(h('p', { class: 'muted polling' }, pair(zhEn('正在处理，本页会自动更新。', 'Being processed; this page updates itself.'))));
  }
  if (view.status?.code !== 'withdrawn') card.append(withdrawControls(entry, generation, confirming));
  body.replaceChildren(card);
}

function withdrawControls(entry, generation, confirming) {
  const area = h('div', { class: 'withdraw' });
  const start = h('button', { type: 'button', class: 'secondary danger', id: 'withdraw' }, pair(zhEn('撤回申请', 'Withdraw')));
  const confirmBox = h('div', { class: 'confirm', id: 'withdraw-confirm', hidden: true, role: 'group', 'aria-labelledby': 'withdraw-question' },
    h('p', { id: 'withdraw-question' }, pair(zhEn('确定撤回这份申请吗？已预留的席位会立即释放，撤回后不能恢复。', 'Withdraw this application? A reserved seat is given back at once; this cannot be undone.'))));
  const yes = h('button', { type: 'button', class: 'danger-solid', id: 'withdraw-yes' }, pair(zhEn('确认撤回', 'Yes, withdraw')));
  const no = h('button', { type: 'button', class: 'secondary', id: 'withdraw-no' }, pair(zhEn('取消', 'Cancel')));
  const error = h('div', { class: 'alert error', role: 'alert', hidden: true });
  confirmBox.append(h('div', { class: 'row' }, yes, no));
  start.addEventListener('click', () => {
    start.hidden = true;
    confirmBox.hidden = false;
    yes.focus();
  });
  no.addEventListener('click', () => {
    confirmBox.hidden = true;
    start.hidden = false;
    start.focus();
  });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    try {
      const { body } = await api(`/api/applications/${encodeURIComponent(entry.id)}/withdraw`, {
        method: 'POST', headers: { 'X-Application-Token': entry.accessToken },
      });
      if (generation !== viewGeneration) return;
      renderApplication(body, entry, generation);
      announce(zhEn(`申请状态：${body.status?.name?.zh ?? ''}`, `Application status: ${body.status?.name?.en ?? ''}`));
      $('application-title').focus();
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      yes.disabled = false;
      problemAlert(error, failure);
    }
  });
  start.hidden = confirming;
  confirmBox.hidden = !confirming;
  area.append(start, confirmBox, error);
  return area;
}

async function loadApplication(id, generation) {
  const body = $('application-body');
  const entry = saved().find((a) => a.id === id);
  if (!entry) {
    body.replaceChildren(h('div', { class: 'alert error' }, pair(zhEn('本机没有这份申请的记录（申请只能在提交它的浏览器中查看）。', 'This browser has no record of this application (it can only be seen in the browser that submitted it).'))));
    return;
  }
  body.replaceChildren(h('p', { class: 'muted' }, pair(zhEn('正在读取…', 'Loading…'))));
  let lastCode = null;
  let failures = 0;
  const poll = async () => {
    if (generation !== viewGeneration) return;
    let view;
    try {
      ({ body: view } = await api(`/api/applications/${encodeURIComponent(id)}`, { headers: { 'X-Application-Token': entry.accessToken } }));
      failures = 0;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (generation !== viewGeneration) return;
      if (error.status === 0 || error.status >= 500) {
        failures++;
        if (lastCode === null) body.replaceChildren(h('p', { class: 'muted' }, pair(zhEn('连接不稳定，正在重试…', 'Connection trouble; retrying…'))));
        setTimeout(poll, Math.min(30000, pollMs * 2 ** failures));
      } else {
        const box = h('div', { class: 'alert error' });
        problemAlert(box, error);
        body.replaceChildren(box);
      }
      return;
    }
    if (generation !== viewGeneration) return;
    const code = view.status?.code;
    // Re-render only on a change, so focus (e.g. on the withdraw button) stays put while waiting.
    if (code !== lastCode || !body.querySelector('.status-card')) {
      // A decision arriving while the founder is confirming a withdrawal keeps the question open and the focus.
      const focusedId = document.activeElement?.id;
      const confirming = $('withdraw-confirm')?.hidden === false;
      renderApplication(view, entry, generation, confirming);
      if (focusedId && $(focusedId) && body.contains($(focusedId))) $(focusedId).focus();
      if (lastCode !== null) announce(zhEn(`申请状态更新：${view.status?.name?.zh ?? code}`, `Application status changed: ${view.status?.name?.en ?? code}`));
      else announce(zhEn(`申请状态：${view.status?.name?.zh ?? code}`, `Application status: ${view.status?.name?.en ?? code}`));
      lastCode = code;
    }
    if (!decided.has(code)) setTimeout(poll, pollMs);
  };
  await poll();
}

// ---------- my applications ----------

async function renderApplications(generation) {
  const list = $('applications-list');
  const entries = saved();
  if (!entries.length) {
    list.replaceChildren(h('li', { class: 'muted' }, pair(zhEn('还没有申请。匹配后点击“申请入驻”即可申请。', 'No applications yet. Find matches, then tap “Apply”.'))));
    return;
  }
  const items = entries.map((entry) => {
    const status = h('span', { class: 'muted' }, pair(zhEn('读取中…', 'Loading…')));
    const item = h('li', { class: 'card mine' },
      h('a', { href: `#application/${encodeURIComponent(entry.id)}` }, (entry.names ?? []).join('、') || entry.id),
      h('p', { class: 'hint' }, entry.submittedAt ? pair(formatTime(entry.submittedAt)) : '', ' ', status));
    return { entry, status, item };
  });
  list.replaceChildren(...items.map((i) => i.item));
  await Promise.all(items.map(async ({ entry, status }) => {
    try {
      const { body } = await api(`/api/applications/${encodeURIComponent(entry.id)}`, { headers: { 'X-Application-Token': entry.accessToken } });
      if (generation === viewGeneration) status.replaceWith(statusBadge(body.status));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (generation === viewGeneration) status.replaceChildren(...pair(error.title));
    }
  }));
}

// ---------- start ----------

initLanguage();
setDefaults();
updateMineCount();
form.addEventListener('submit', onSubmit);
$('use-location').addEventListener('click', useLocation);
$('pick-clear').addEventListener('click', () => {
  picks = [];
  renderPicks();
  $('results-title').focus();
});
$('pick-submit').addEventListener('click', () => submitApplication([...picks], $('pick-submit')));
window.addEventListener('hashchange', () => { if (isRoute(location.hash)) show(); });
document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  $(`${route().view}-title`).focus();
});
window.addEventListener('storage', (event) => { if (event.key === storageKey) updateMineCount(); });
if (!isRoute(location.hash) || (location.hash === '#results' && !lastMatch)) history.replaceState(null, '', location.pathname);
show(true);
document.documentElement.dataset.ready = 'true';
