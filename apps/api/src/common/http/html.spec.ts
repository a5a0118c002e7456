import { escapeHtml, html, SafeHtml } from './html';

describe('html template', () => {
  it('escapes every value: markup, quotes and ampersands', () => {
    const name = `<script>alert("x")</script> & 'y'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>',
    );
  });

  it('keeps HTML it made itself, renders arrays item by item, and nothing for null, undefined and false', () => {
    const items = ['a<b', 'c'].map((s) => html`<li>${s}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0');
  });

  it('does not trust a string that merely looks like HTML', () => {
    expect(html`${'<b>bold</b>'}`.value).toBe('&lt;b&gt;bold&lt;/b&gt;');
    expect(html`${new SafeHtml('<b>bold</b>')}`.toString()).toBe('<b>bold</b>');
  });

  it('escapeHtml leaves plain text alone', () => {
    expect(escapeHtml('Frozen beef 冷冻牛肉 (BR)')).toBe('Frozen beef 冷冻牛肉 (BR)');
  });
});
