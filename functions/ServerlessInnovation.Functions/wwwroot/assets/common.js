// Shared by the startup page and the bureau pages: language switching, API calls, problem details.
// Text a user reads comes in pairs {zh, en}; Simplified Chinese is the default.

const languageKey = 'yjrf-lang';

/** The language shown: 'zh' (default) or 'en'. */
export function language() {
  return document.documentElement.lang === 'en' ? 'en' : 'zh';
}

/** One side of a {zh, en} pair, in the language shown. */
export function text(pair) {
  if (pair == null) return '';
  if (typeof pair === 'string') return pair;
  return language() === 'en' ? (pair.en ?? pair.zh ?? '') : (pair.zh ?? pair.en ?? '');
}

/**
 * Shows the page in one language. Static text is written twice in the markup, as <span lang="zh-CN"> and <span lang="en">,
 * and CSS hides the other one. Elements that cannot hold spans (option, title, input values) carry data-zh and data-en;
 * aria-label pairs are data-zh-label and data-en-label.
 */
export function setLanguage(lang) {
  const root = document.documentElement;
  root.lang = lang === 'en' ? 'en' : 'zh-CN';
  for (const element of document.querySelectorAll('[data-zh][data-en]')) {
    element.textContent = lang === 'en' ? element.dataset.en : element.dataset.zh;
  }
  for (const element of document.querySelectorAll('[data-zh-label][data-en-label]')) {
    element.setAttribute('aria-label', lang === 'en' ? element.dataset.enLabel : element.dataset.zhLabel);
  }
  try { localStorage.setItem(languageKey, root.lang); } catch { /* storage may be off; the switch still works */ }
  document.dispatchEvent(new CustomEvent('languagechange'));
}

/** Restores the language chosen before and wires every [data-language-switch] button. */
export function initLanguage() {
  let saved = null;
  try { saved = localStorage.getItem(languageKey); } catch { /* ignore */ }
  setLanguage(saved === 'en' ? 'en' : 'zh');
  for (const button of document.querySelectorAll('[data-language-switch]')) {
    button.addEventListener('click', () => setLanguage(language() === 'en' ? 'zh' : 'en'));
  }
}

/** A failed API call: the RFC 9457 problem details when the API sent them. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** Title and detail as a {zh, en} pair each. */
  get title() { return { zh: this.problem?.title ?? `请求失败（${this.status}）`, en: this.problem?.titleEn ?? `Request failed (${this.status})` }; }
  get detail() { return { zh: this.problem?.detail ?? '', en: this.problem?.detailEn ?? '' }; }

  /** Field errors: [{field, code, zh, en}], in the order the API gave them. */
  get fieldErrors() {
    const errors = this.problem?.errors ?? {};
    return Object.entries(errors).flatMap(([field, list]) => list.map((e) => ({ field, ...e })));
  }
}

/**
 * Calls the API and returns the parsed JSON (or null for an empty answer); throws ApiError with the problem details
 * otherwise, and ApiError(0) when the network failed.
 */
export async function api(path, { method = 'GET', body, headers = {}, signal } = {}) {
  const init = { method, headers: { Accept: 'application/json, application/problem+json', ...headers }, signal };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['Content-Type'] ??= 'application/json';
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, { title: '网络连接失败，请稍后重试', titleEn: 'Network error, try again later' });
  }
  const type = response.headers.get('Content-Type') ?? '';
  const payload = type.includes('json') && response.status !== 204 ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new ApiError(response.status, payload);
  return { status: response.status, headers: response.headers, body: payload };
}

/** Creates an element with attributes and children (strings become text nodes: never parsed as HTML). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value == null) continue;
    if (name === 'class') element.className = value;
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A {zh, en} pair as two spans, one shown per language (switches without re-rendering). */
export function pair(value) {
  if (value == null) return '';
  if (typeof value === 'string') return value;
  return [h('span', { lang: 'zh-CN' }, value.zh ?? value.en ?? ''), h('span', { lang: 'en' }, value.en ?? value.zh ?? '')];
}
