// The links between a queue's pages.
import { h, link } from '../dom.js';

export function queueTabs(queueId, current) {
  const tabs = [['Overview', []], ['Messages', ['messages']], ['Live tail', ['tail']], ['Listeners', ['listeners']]];
  return h('nav', { class: 'tabs', 'aria-label': 'Queue pages' }, tabs.map(([label, rest]) => {
    const a = link(label, 'queue', queueId, ...rest);
    if (label === current) a.setAttribute('aria-current', 'page');
    return a;
  }));
}
