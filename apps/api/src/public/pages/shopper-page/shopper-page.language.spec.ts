import { pageLanguage } from './shopper-page.language';

describe('the shopper page language', () => {
  it('speaks Chinese to a Chinese browser, whatever the region or script', () => {
    for (const header of ['zh', 'zh-CN', 'zh-Hans-CN,zh;q=0.9', 'zh-TW', 'ZH-hk', 'zh-CN,zh;q=0.9,en;q=0.8']) expect(pageLanguage(undefined, header)).toBe('zh');
  });

  it('speaks English to an English browser and to anyone else, and when there is no header', () => {
    for (const header of ['en', 'en-GB,en;q=0.9', 'fr-FR,fr;q=0.9', 'de', '*', '', 'garbage;;;', undefined]) expect(pageLanguage(undefined, header)).toBe('en');
  });

  it('follows the weights, not just the order, and skips the languages it does not speak', () => {
    expect(pageLanguage(undefined, 'fr, zh;q=0.8, en;q=0.5')).toBe('zh');
    expect(pageLanguage(undefined, 'zh;q=0.4, en;q=0.6')).toBe('en');
    expect(pageLanguage(undefined, 'en;q=0.6, zh;q=0.6')).toBe('en');
    expect(pageLanguage(undefined, 'en;q=0, zh-CN;q=0.1')).toBe('zh');
  });

  it('lets ?lang=zh|en override the header, and ignores any other ?lang', () => {
    expect(pageLanguage('en', 'zh-CN')).toBe('en');
    expect(pageLanguage('zh', 'en-US')).toBe('zh');
    expect(pageLanguage('fr', 'zh-CN')).toBe('zh');
    expect(pageLanguage(['en', 'zh'], 'zh-CN')).toBe('zh');
    expect(pageLanguage('EN', undefined)).toBe('en');
  });
});
