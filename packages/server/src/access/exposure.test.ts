import { describe, expect, it } from 'vitest';
import { hostname } from 'node:os';
import { hostNameOf } from './access-options.js';
import { isLoopback, servedHostNames } from './exposure.js';

describe('isLoopback', () => {
  it('is true only for addresses other machines cannot reach', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(address), address).toBe(true);
    for (const address of ['0.0.0.0', '::', '192.168.1.5', '10.0.0.1', 'fe80::1', '::ffff:10.0.0.1']) expect(isLoopback(address), address).toBe(false);
  });
});

describe('servedHostNames', () => {
  it('are the loopback names and the bound host and address', () => {
    expect(servedHostNames('localhost', '127.0.0.1').sort()).toEqual(['127.0.0.1', '[::1]', 'localhost']);
    expect(servedHostNames('Box.LAN', '192.168.1.5').sort()).toEqual(['127.0.0.1', '192.168.1.5', '[::1]', 'box.lan', 'localhost']);
    expect(servedHostNames('fe80::1', 'fe80::1')).toContain('[fe80::1]');
  });

  it('bound to every interface, also the machine name', () => {
    expect(servedHostNames('0.0.0.0', '0.0.0.0')).toEqual(expect.arrayContaining(['0.0.0.0', hostNameOf(hostname())]));
    expect(servedHostNames('::', '::')).toContain('[::]');
  });
});
