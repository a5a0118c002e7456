import type { ConsumerStatus, DocumentType, FacilityType, ProductCategory } from '@app/domain';
import type { PageLanguage } from './shopper-page.language';

/** A category's temperature range (null: unbounded on that side). */
export interface RangeText {
  readonly minCelsius: number | null;
  readonly maxCelsius: number | null;
}

/** A log's excursions, as excursionFacts counts them for a shopper. */
export interface ExcursionText {
  readonly count: number;
  readonly minutes: number;
  readonly extremeCelsius: number;
  /** The extreme lies above the range (else below it). */
  readonly above: boolean;
}

/** A verdict in words: the banner's title and what the shopper should do. */
export interface VerdictText {
  readonly title: string;
  readonly advice: string;
}

/** A page that is not a lot's: why, and what to do next. */
export interface NoticeText {
  readonly title: string;
  readonly advice: string;
}

/** Every word of the shopper's page, per language: the page itself holds none. */
export interface PageText {
  /** `<html lang>`. */
  readonly htmlLang: string;
  readonly siteName: string;
  readonly languageNav: string;
  readonly verdictLabel: string;
  readonly verdicts: Record<ConsumerStatus, VerdictText>;
  readonly categories: Record<ProductCategory, string>;
  readonly origin: (count: number) => string;
  readonly listSeparator: string;
  readonly pathHeading: string;
  readonly pathEmpty: string;
  readonly facilityTypes: Record<FacilityType, string>;
  readonly arrived: string;
  readonly departed: string;
  readonly certificatesHeading: string;
  readonly certificates: Record<DocumentType, string>;
  readonly certificateValid: string;
  readonly certificateInvalid: string;
  readonly certificateMissing: string;
  readonly coldChainHeading: string;
  /** A log that never left its range: what it was kept at, per category. */
  readonly keptInRange: (category: ProductCategory, range: RangeText) => string;
  readonly excursion: (facts: ExcursionText) => string;
  readonly chartTitle: string;
  readonly issuedBy: (issuer: string) => string;
  readonly traceCode: string;
  readonly checkedAt: string;
  /** Says which clock the times are on (`UTC+08:00`). */
  readonly timesIn: (offset: string) => string;
  readonly notFound: NoticeText;
  readonly badRequest: NoticeText;
  readonly rateLimited: NoticeText;
  readonly unavailable: NoticeText;
  readonly failed: NoticeText;
}

/** `-18 °C`, a tenth at most. */
const celsius = (value: number): string => `${Math.round(value * 10) / 10} °C`;

/** `0–4 °C`; one-sided, `-18 °C 以下` / `-18 °C or below` with the language's words for it. */
const rangeWords = (range: RangeText, atMost: string, atLeast: string): string =>
  range.minCelsius !== null && range.maxCelsius !== null
    ? `${Math.round(range.minCelsius * 10) / 10}–${celsius(range.maxCelsius)}`
    : range.maxCelsius !== null
      ? `${celsius(range.maxCelsius)} ${atMost}`
      : range.minCelsius !== null
        ? `${celsius(range.minCelsius)} ${atLeast}`
        : '';

const ZH: PageText = {
  htmlLang: 'zh-CN',
  siteName: '进口冷链食品追溯',
  languageNav: '语言',
  verdictLabel: '结论',
  verdicts: {
    ON_SALE: { title: '可以销售', advice: '证件齐全有效，追溯信息完整，本批次可以销售。' },
    NOT_FOR_SALE: { title: '暂不可销售', advice: '本批次目前不得销售：证件或追溯信息不全或不合格。如在货架上看到，请告知商店。' },
    RECALLED: { title: '已召回，请勿食用', advice: '本批次已被监管部门召回。请勿食用，请退回购买的商店；如仍在销售，请拨打 12315 举报。' },
    SOLD_OUT: { title: '已售罄', advice: '本批次已全部售出，以下是它的追溯记录。' },
    DESTROYED: { title: '已销毁', advice: '本批次已被销毁，不应再出售。如仍在销售，请拨打 12315 举报。' },
  },
  categories: { FROZEN: '冷冻食品', CHILLED: '冷藏食品', FRUIT: '进口水果' },
  origin: () => '原产国',
  listSeparator: '、',
  pathHeading: '流通路径',
  pathEmpty: '暂无流通记录。',
  facilityTypes: { PORT_OF_ENTRY: '入境口岸', CENTRAL_WAREHOUSE: '集中监管仓', WHOLESALE_MARKET: '批发市场', RETAIL_STORE: '零售门店' },
  arrived: '到达',
  departed: '离开',
  certificatesHeading: '证件',
  certificates: { CUSTOMS_DECLARATION: '报关单', INSPECTION_QUARANTINE: '检验检疫证明', NUCLEIC_ACID_TEST: '核酸检测报告', DISINFECTION: '消毒证明' },
  certificateValid: '有效',
  certificateInvalid: '无效（已过期或不合格）',
  certificateMissing: '未提供',
  issuedBy: (issuer) => `签发机构：${issuer}`,
  coldChainHeading: '冷链温度',
  keptInRange: (category, range) => `全程${{ FROZEN: '冷冻', CHILLED: '冷藏', FRUIT: '' }[category]} ${rangeWords(range, '以下', '以上')}`,
  excursion: (f) => `运输中有 ${f.count} 次温度超出范围，共 ${f.minutes} 分钟，${f.above ? '最高' : '最低'} ${celsius(f.extremeCelsius)}`,
  chartTitle: '温度曲线',
  traceCode: '追溯码',
  checkedAt: '查询时间',
  timesIn: (offset) => `时间为 UTC${offset}`,
  notFound: { title: '未找到此追溯码', advice: '请核对包装上的追溯码。如仍查不到，该商品可能未登记追溯信息，请向商店咨询。' },
  badRequest: { title: '链接无效', advice: '这个链接不完整或有误。请重新扫描包装上的二维码。' },
  rateLimited: { title: '查询过于频繁', advice: '请稍等一分钟后再试。' },
  unavailable: { title: '暂时无法查询', advice: '系统正忙，请稍后再试。' },
  failed: { title: '出错了', advice: '查询时出现问题，请稍后再试。' },
};

const EN: PageText = {
  htmlLang: 'en',
  siteName: 'Imported cold-chain food trace',
  languageNav: 'Language',
  verdictLabel: 'Verdict',
  verdicts: {
    ON_SALE: { title: 'On sale', advice: 'Its papers are present and valid and its trace is complete: this lot may be sold.' },
    NOT_FOR_SALE: {
      title: 'Not for sale',
      advice: 'This lot may not be sold now: a paper or a step of its trace is missing or not in order. If you see it on a shelf, tell the store.',
    },
    RECALLED: {
      title: 'Recalled: do not eat',
      advice: 'The authorities have recalled this lot. Do not eat it; take it back to the store where you bought it. If it is still on sale, call 12315.',
    },
    SOLD_OUT: { title: 'Sold out', advice: 'This lot has been sold out; below is its trace record.' },
    DESTROYED: { title: 'Destroyed', advice: 'This lot was destroyed and must not be on sale. If you see it on sale, call 12315.' },
  },
  categories: { FROZEN: 'Frozen food', CHILLED: 'Chilled food', FRUIT: 'Imported fruit' },
  origin: (count) => (count > 1 ? 'Countries of origin' : 'Country of origin'),
  listSeparator: ', ',
  pathHeading: 'Path',
  pathEmpty: 'No step recorded yet.',
  facilityTypes: { PORT_OF_ENTRY: 'Port of entry', CENTRAL_WAREHOUSE: 'Central warehouse', WHOLESALE_MARKET: 'Wholesale market', RETAIL_STORE: 'Retail store' },
  arrived: 'Arrived',
  departed: 'Left',
  certificatesHeading: 'Papers',
  certificates: {
    CUSTOMS_DECLARATION: 'Customs declaration',
    INSPECTION_QUARANTINE: 'Inspection and quarantine certificate',
    NUCLEIC_ACID_TEST: 'Nucleic-acid test',
    DISINFECTION: 'Disinfection certificate',
  },
  certificateValid: 'Valid',
  certificateInvalid: 'Not valid (expired or failed)',
  certificateMissing: 'Missing',
  issuedBy: (issuer) => `Issued by ${issuer}`,
  coldChainHeading: 'Cold chain',
  keptInRange: (category, range) => `Kept ${{ FROZEN: 'frozen ', CHILLED: 'chilled ', FRUIT: '' }[category]}at ${rangeWords(range, 'or below', 'or above')} throughout`,
  excursion: (f) =>
    `Out of its range ${f.count === 1 ? 'once' : `${f.count} times`} on the way, ${f.minutes} min in all; ${f.above ? 'highest' : 'lowest'} ${celsius(f.extremeCelsius)}`,
  chartTitle: 'Temperature over time',
  traceCode: 'Trace code',
  checkedAt: 'Checked at',
  timesIn: (offset) => `times in UTC${offset}`,
  notFound: {
    title: 'We could not find this code',
    advice: 'Check the code on the pack. If it still cannot be found, the product may not be registered for tracing: ask the store.',
  },
  badRequest: { title: 'This link is not valid', advice: 'The link is incomplete or wrong. Scan the code on the pack again.' },
  rateLimited: { title: 'Too many look-ups', advice: 'Please wait a minute and try again.' },
  unavailable: { title: 'Not available right now', advice: 'The service is busy. Please try again in a moment.' },
  failed: { title: 'Something went wrong', advice: 'We could not look this code up. Please try again in a moment.' },
};

export const PAGE_TEXT: Record<PageLanguage, PageText> = { zh: ZH, en: EN };

/** A country's name in the page's language (`Brazil`, `巴西`), from the runtime's own CLDR data; the code when it has none. */
export const countryName = (code: string, language: PageLanguage): string => {
  try {
    const name = new Intl.DisplayNames([PAGE_TEXT[language].htmlLang], { type: 'region', fallback: 'code' }).of(code);
    return name ?? code;
  } catch {
    // Not a region code Intl accepts: show it as recorded.
    return code;
  }
};
