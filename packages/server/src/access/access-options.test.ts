import { describe, expect, it } from 'vitest';
import { allowedHostName, allowedOrigin, checkedToken, checkOption, hostNameOf } from './access-options.js';

describe('hostNameOf (a Host header without its port)', () => {
  it.each([
    ['localhost:8080', 'localhost'],
    ['LocalHost', 'localhost'],
    ['127.0.0.1:1', '127.0.0.1'],
    ['[::1]:8080', '[::1]'],
    ['[0:0:0:0:0:0:0:1]', '[::1]'],
    ['bücher.example', 'xn--bcher-kva.example'],
  ])('%s is %s', (header, name) => expect(hostNameOf(header)).toBe(name));

  it.each(['', 'evil.example@127.0.0.1', '127.0.0.1/x', 'a b', '::1', 'host:port', '[::1'])('%j is no host', (header) => expect(hostNameOf(header)).toBeUndefined());
});

describe('the access options', () => {
  it('--allow-host takes a name or an address without a port, or *', () => {
    expect(allowedHostName('StreamVis.Test')).toBe('streamvis.test');
    expect(allowedHostName('[fe80::1]')).toBe('[fe80::1]');
    expect(allowedHostName('*')).toBe('*');
    for (const bad of ['streamvis.test:8080', '[fe80::1]:80', 'a/b', '', 'fe80::1']) expect(() => allowedHostName(bad), bad).toThrow(/without a port/);
  });

  it('--allow-origin takes scheme://host[:port] as browsers send it, or *', () => {
    expect(allowedOrigin('http://Dashboard.example:8080')).toBe('http://dashboard.example:8080');
    expect(allowedOrigin('https://dashboard.example/')).toBe('https://dashboard.example');
    expect(allowedOrigin('http://dashboard.example:80')).toBe('http://dashboard.example');
    expect(allowedOrigin('*')).toBe('*');
    for (const bad of ['dashboard.example', 'http://dashboard.example/app', 'http://a@b.example', 'http://x.example?q', 'null', 'file:///tmp', '']) {
      expect(() => allowedOrigin(bad), bad).toThrow(/expected an origin/);
    }
  });

  it('a token holds only characters safe in a URL, a cookie and a header', () => {
    expect(checkedToken('Az09-._~')).toBe('Az09-._~');
    for (const bad of ['', 'a b', 'a;b', 'a=b', 'ä']) expect(() => checkedToken(bad), bad).toThrow(/use only letters/);
  });

  it('checkOption names the option in the error it gives', () => {
    expect(() => checkOption('--allow-origin', () => allowedOrigin('x'))).toThrow(/^--allow-origin: expected an origin/);
    expect(() => checkOption('t', () => checkedToken(''), (message) => new RangeError(message))).toThrow(RangeError);
  });
});
