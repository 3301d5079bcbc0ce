import { describe, expect, it } from 'vitest';
import { renderComparePage, renderRunPage } from './page.js';

describe('renderPage', () => {
  it('loads BokehJS from the server in order, then the client', () => {
    const html = renderRunPage('run');
    const scripts = [...html.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1]);
    expect(scripts).toEqual([
      '/static/bokeh/bokeh.min.js',
      '/static/bokeh/bokeh-api.min.js',
      '/static/client.js',
    ]);
  });

  it('the compare page loads the same scripts and names no run', () => {
    const html = renderComparePage();
    expect([...html.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1])).toEqual(['/static/bokeh/bokeh.min.js', '/static/bokeh/bokeh-api.min.js', '/static/client.js']);
    expect(html).toContain('<body data-compare>');
    expect(html).not.toContain('data-run');
  });

  it('escapes the run name wherever it appears', () => {
    const html = renderRunPage(`<img src=x onerror="alert('x')">&`);
    expect(html).not.toContain('<img');
    expect(html).toContain('data-run="&#60;img src=x onerror=&#34;alert(&#39;x&#39;)&#34;&#62;&#38;"');
    expect(html).toContain('<title>&#60;img');
  });
});
