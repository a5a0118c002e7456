import { createHash } from 'node:crypto';

/**
 * The page's one stylesheet, inline: no second request on a slow phone
 * connection, and the CSP admits exactly this text by its hash (no
 * 'unsafe-inline'). Colours pass WCAG AA against their backgrounds; every
 * status colour also comes with an icon and words.
 */
export const PAGE_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1a1a1a;background:#f4f5f7}
.top{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.25rem .75rem;padding:.5rem 1rem;background:#fff;border-bottom:1px solid #c4c9d0;font-size:.875rem}
.top p{margin:0;font-weight:700}
.top nav a{color:#0b57d0;margin-left:.75rem;display:inline-block;padding:.25rem 0}
.top nav a[aria-current]{color:#1a1a1a;font-weight:700;text-decoration:none}
main{max-width:40rem;margin:0 auto;padding:1rem}
.verdict{border-radius:.5rem;padding:1rem;margin:0 0 1rem;color:#fff}
.verdict-title{display:flex;gap:.5rem;align-items:center;margin:0 0 .25rem;font-size:1.375rem;font-weight:700;line-height:1.3}
.verdict p{margin:0}
.icon{flex:none;display:inline-flex;align-items:center;justify-content:center;width:1.75rem;height:1.75rem;border-radius:50%;background:#fff;font-weight:700;font-size:1.125rem;line-height:1}
.s-ON_SALE{background:#1b5e20}.s-ON_SALE .icon{color:#1b5e20}
.s-NOT_FOR_SALE{background:#7a4100}.s-NOT_FOR_SALE .icon{color:#7a4100}
.s-RECALLED{background:#b71c1c;border:4px solid #7f0000}.s-RECALLED .icon{color:#b71c1c}
.s-SOLD_OUT{background:#455a64}.s-SOLD_OUT .icon{color:#455a64}
.s-DESTROYED{background:#37474f}.s-DESTROYED .icon{color:#37474f}
.card{background:#fff;border:1px solid #c4c9d0;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
h1{margin:0 0 .25rem;font-size:1.5rem;line-height:1.25;overflow-wrap:anywhere}
h2{margin:0 0 .75rem;font-size:1.125rem}
.muted{color:#4a5260}
dl{margin:.75rem 0 0}dt{font-weight:700}dd{margin:0}
ol.path{list-style:none;margin:0;padding:0}
ol.path li{position:relative;margin-left:.5rem;padding:0 0 1rem 1.5rem;border-left:3px solid #8a94a3}
ol.path li:last-child{border-left-color:transparent;padding-bottom:0}
ol.path li::before{content:"";position:absolute;left:-.6rem;top:.3rem;width:.9rem;height:.9rem;border-radius:50%;background:#fff;border:3px solid #1a4f8b}
.stop-type{display:block;font-weight:700}
.stop-name{display:block;overflow-wrap:anywhere}
ul.certs{list-style:none;margin:0;padding:0}
ul.certs li{display:flex;gap:.75rem;padding:.625rem 0;border-top:1px solid #e1e4e8}
ul.certs li:first-child{border-top:0;padding-top:0}
.ok .icon{background:#1b5e20;color:#fff}.bad .icon{background:#b71c1c;color:#fff}
.cert-name{display:block;font-weight:700}
.cert-state{display:block;font-weight:700}
.ok .cert-state{color:#1b5e20}.bad .cert-state{color:#b71c1c}
.cert-issue{display:block;color:#4a5260;font-size:.875rem;overflow-wrap:anywhere}
footer{max-width:40rem;margin:0 auto;padding:0 1rem 2rem;color:#4a5260;font-size:.875rem}
footer p{margin:.25rem 0}
p.cold-chain-line{margin:0 0 .5rem;font-weight:700}
p.cold-chain-line.ok{color:#1b5e20}p.cold-chain-line.bad{color:#b71c1c}
figure.temp-chart{margin:0}
figure.temp-chart svg{display:block;width:100%;height:auto}
code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;overflow-wrap:anywhere}
`;

/** The CSP source that admits PAGE_STYLE and nothing else. */
export const PAGE_STYLE_SOURCE = `'sha256-${createHash('sha256').update(PAGE_STYLE, 'utf8').digest('base64')}'`;

/**
 * The page loads nothing and runs nothing: its own style only, no script, no
 * frame may hold it, no form may post from it. Every answer of the page
 * route carries it, error pages too.
 */
export const PAGE_CSP = `default-src 'none'; style-src ${PAGE_STYLE_SOURCE}; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
