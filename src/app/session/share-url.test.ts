import { describe, expect, it } from 'vitest';
import { MAX_LINK_CHARS } from '../../scenario/share-codec';
import { CHAT_LINK_CHARS, linkFit, sessionUrl } from './share-url';

describe('sessionUrl', () => {
  it('drops ?t, ?paused and ?scenario (the link carries its own), keeps the rest, sets the fragment', () => {
    expect(sessionUrl('https://a.example/kv/?t=30s&speed=10&scenario=x#scenario=y', 's=AbC')).toBe('https://a.example/kv/?speed=10#s=AbC');
    expect(sessionUrl('https://a.example/kv/?paused', 'scenario=crash-loop')).toBe('https://a.example/kv/#scenario=crash-loop');
    expect(sessionUrl('https://a.example/kv/?t=1m#s=old', null)).toBe('https://a.example/kv/');
  });
});

describe('linkFit', () => {
  it('past 8,000 characters a link is long; past the maximum it does not open', () => {
    expect(linkFit(CHAT_LINK_CHARS)).toBe('ok');
    expect(linkFit(CHAT_LINK_CHARS + 1)).toBe('long');
    expect(linkFit(MAX_LINK_CHARS + 1)).toBe('too-long');
  });
});
