import type { ConsumerStatus } from '@app/domain';
import { csvTime } from '../../../common/http/csv';
import { html, SafeHtml } from '../../../common/http/html';
import type { PublicLotView } from '../../queries/get-public-lot/get-public-lot.query';
import type { PageLanguage } from './shopper-page.language';
import { PAGE_STYLE } from './shopper-page.style';
import { countryName, NoticeText, PAGE_TEXT, PageText } from './shopper-page.text';
// The one chart renderer, shared with the console: pure, no DOM, no import of its own.
import { chartResolution, excursionFacts, svgMarkup, temperatureChart, type ChartSeries } from '../../../../../console/src/temperature-chart';

/** A lot's temperature series as the page reads it (TemperatureSeries.series). */
export type PageTemperatures = ChartSeries & { readonly readings: number };

/** The chart drawn for a phone: narrow, large type, two time labels. */
const PAGE_CHART_SIZE = { width: 320, height: 180, fontSize: 12, timeLabels: 2 };

/** The points the page asks TemperatureSeries for. */
export const PAGE_CHART_RESOLUTION = chartResolution(PAGE_CHART_SIZE);

/** What every page needs besides its data: the language and the clock times are shown on. */
export interface PageContext {
  readonly language: PageLanguage;
  /** `+08:00`: the wall clock of the market the lots are sold in (AppConfig). */
  readonly timeZoneOffset: string;
}

/** Icons beside words, never instead of them: colour and symbol repeat what the text says. */
const VERDICT_ICONS: Record<ConsumerStatus, string> = { ON_SALE: '✓', NOT_FOR_SALE: '✗', RECALLED: '!', SOLD_OUT: '–', DESTROYED: '✗' };

/** `2026-11-21 15:10` on the market's clock, inside a machine-readable <time>. */
const clock = (iso: string, ctx: PageContext): string => csvTime(new Date(iso), ctx.timeZoneOffset).slice(0, 16).replace('T', ' ');
const time = (iso: string, ctx: PageContext): SafeHtml => html`<time datetime="${iso}">${clock(iso, ctx)}</time>`;

const languageNav = (ctx: PageContext, text: PageText): SafeHtml => {
  const link = (lang: PageLanguage, label: string, htmlLang: string) =>
    html`<a href="?lang=${lang}" lang="${htmlLang}"${ctx.language === lang ? new SafeHtml(' aria-current="page"') : ''}>${label}</a>`;
  return html`<nav aria-label="${text.languageNav}">${link('zh', '中文', PAGE_TEXT.zh.htmlLang)}${link('en', 'English', PAGE_TEXT.en.htmlLang)}</nav>`;
};

const layout = (ctx: PageContext, title: string, body: SafeHtml, footer: SafeHtml | null): string => {
  const text = PAGE_TEXT[ctx.language];
  return html`<!DOCTYPE html>
<html lang="${text.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · ${text.siteName}</title>
<style>${new SafeHtml(PAGE_STYLE)}</style>
</head>
<body>
<header class="top"><p>${text.siteName}</p>${languageNav(ctx, text)}</header>
<main>
${body}
</main>
${footer ? html`<footer>${footer}</footer>` : ''}
</body>
</html>
`.value;
};

const verdictBanner = (status: ConsumerStatus, text: PageText): SafeHtml => {
  const verdict = text.verdicts[status];
  return html`<section class="verdict s-${status}" aria-label="${text.verdictLabel}" data-status="${status}">
<p class="verdict-title"><span class="icon" aria-hidden="true">${VERDICT_ICONS[status]}</span><span>${verdict.title}</span></p>
<p>${verdict.advice}</p>
</section>`;
};

const product = (view: PublicLotView, text: PageText, ctx: PageContext): SafeHtml => {
  const countries = view.originCountries.map((code) => `${countryName(code, ctx.language)} (${code})`).join(text.listSeparator);
  return html`<section class="card" aria-labelledby="product-name">
<h1 id="product-name">${view.product.name}</h1>
<p class="muted">${text.categories[view.product.category] ?? view.product.category}</p>
<dl><dt>${text.origin(view.originCountries.length)}</dt><dd class="origin">${countries}</dd></dl>
</section>`;
};

const path = (view: PublicLotView, text: PageText, ctx: PageContext): SafeHtml => {
  const stops = view.path.map(
    (stop) => html`<li>
<span class="stop-type">${text.facilityTypes[stop.facilityType] ?? stop.facilityType}</span>
<span class="stop-name">${stop.facilityName}</span>
<span class="stop-time">${text.arrived} ${time(stop.arrivedAt, ctx)}</span>${stop.departedAt ? html`<br><span class="stop-time">${text.departed} ${time(stop.departedAt, ctx)}</span>` : ''}
</li>`,
  );
  return html`<section class="card" aria-labelledby="path-heading">
<h2 id="path-heading">${text.pathHeading}</h2>
${stops.length > 0 ? html`<ol class="path">${stops}</ol>` : html`<p>${text.pathEmpty}</p>`}
</section>`;
};

const certificates = (view: PublicLotView, text: PageText, ctx: PageContext): SafeHtml => {
  const items = view.certificates.map((c) => {
    const state = c.valid ? text.certificateValid : c.present ? text.certificateInvalid : text.certificateMissing;
    const issued = c.present && (c.issuer || c.issuedAt)
      ? html`<span class="cert-issue">${c.issuer ? text.issuedBy(c.issuer) : ''}${c.issuer && c.issuedAt ? ' · ' : ''}${c.issuedAt ? time(c.issuedAt, ctx) : ''}</span>`
      : '';
    return html`<li class="${c.valid ? 'ok' : 'bad'}" data-certificate="${c.type}" data-valid="${String(c.valid)}">
<span class="icon" aria-hidden="true">${c.valid ? '✓' : '✗'}</span>
<span><span class="cert-name">${text.certificates[c.type] ?? c.type}</span><span class="cert-state">${state}</span>${issued}</span>
</li>`;
  });
  return html`<section class="card" aria-labelledby="certificates-heading">
<h2 id="certificates-heading">${text.certificatesHeading}</h2>
<ul class="certs">${items}</ul>
</section>`;
};

/**
 * The cold chain in one line and a small chart: kept in its category's range
 * throughout, or its excursions in words. Nothing at all when the lot has no
 * log: no log is not news to a shopper. The chart is markup alone (no
 * script, presentation attributes, no style attribute: the CSP admits none).
 */
const coldChain = (view: PublicLotView, temperatures: PageTemperatures | null, text: PageText, ctx: PageContext): SafeHtml | '' => {
  if (!temperatures || temperatures.points.length === 0) return '';
  const facts = excursionFacts(temperatures);
  const line = facts ? text.excursion(facts) : text.keptInRange(view.product.category, temperatures.range);
  const chart = temperatureChart(temperatures, { title: text.chartTitle, description: line, time: (iso) => clock(iso, ctx), celsius: (c) => `${Math.round(c * 10) / 10} °C` }, PAGE_CHART_SIZE);
  return html`<section class="card cold-chain" aria-labelledby="cold-chain-heading" data-excursions="${String(facts?.count ?? 0)}">
<h2 id="cold-chain-heading">${text.coldChainHeading}</h2>
<p class="cold-chain-line ${facts ? 'bad' : 'ok'}">${line}</p>
${chart ? html`<figure class="temp-chart">${new SafeHtml(svgMarkup(chart))}</figure>` : ''}
</section>`;
};

/**
 * A lot's page, from the shopper's view and nothing else. The verdict comes
 * first, before the product: a recalled lot's page says so before anything.
 */
export const renderLotPage = (view: PublicLotView, ctx: PageContext, temperatures: PageTemperatures | null = null): string => {
  const text = PAGE_TEXT[ctx.language];
  const body = html`${verdictBanner(view.status, text)}
${product(view, text, ctx)}
${path(view, text, ctx)}
${coldChain(view, temperatures, text, ctx)}
${certificates(view, text, ctx)}`;
  const footer = html`<p>${text.traceCode}: <code>${view.traceCode}</code></p>
<p>${text.checkedAt} ${time(view.evaluatedAt, ctx)} (${text.timesIn(ctx.timeZoneOffset)})</p>`;
  return layout(ctx, `${view.product.name}: ${text.verdicts[view.status].title}`, body, footer);
};

export type NoticeKind = 'notFound' | 'badRequest' | 'rateLimited' | 'unavailable' | 'failed';

/** Longer codes are cut: the page repeats what was asked for, not whatever a link carried. */
const SHOWN_CODE_LENGTH = 64;

/** A page that is not a lot's: no such code, a bad link, too many look-ups, or a failure on our side. Never a stack or an error body. */
export const renderNoticePage = (kind: NoticeKind, ctx: PageContext, traceCode: string | null): string => {
  const text = PAGE_TEXT[ctx.language];
  const notice: NoticeText = text[kind];
  const shown = traceCode === null ? null : traceCode.length > SHOWN_CODE_LENGTH ? `${traceCode.slice(0, SHOWN_CODE_LENGTH)}…` : traceCode;
  const body = html`<section class="card notice" data-notice="${kind}" aria-labelledby="notice-title">
<h1 id="notice-title">${notice.title}</h1>
<p>${notice.advice}</p>
${shown ? html`<p class="muted">${text.traceCode}: <code>${shown}</code></p>` : ''}
</section>`;
  return layout(ctx, notice.title, body, null);
};
