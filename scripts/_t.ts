import { parseTimeExpressions } from '/work/wt/event-time/src/text/time.js';
import { resolveEventTimes } from '/work/wt/event-time/src/text/time/events.js';
const now = new Date('2023-05-07T00:00:00Z');
for (const t of ['在4月27号这天，我在公园里跑了多久？','我曾经在5月2日提到过','五月四号','4/27 we met','1/2 cup of flour','24/7 support','上周六我们去爬山','我们3月12号聊了些什么？','6月1号那天我心情怎么样？','两周前','去年五月','上个月','礼拜六','I met them on the 15th after my trip','on the 4th of July','前天']) {
  console.log(t, JSON.stringify(parseTimeExpressions(t, now).map(e=>[e.text,e.start.toISOString().slice(0,10),e.end.toISOString().slice(0,10),e.granularity])));
}
console.log(resolveEventTimes('Last Sunday I swam across the lake for charity', new Date('2023-09-14T10:00:00Z')));
console.log(resolveEventTimes('我下周六要去杭州', new Date('2023-09-12T10:00:00Z')));
console.log(resolveEventTimes("I'm going to run a marathon in October", new Date('2023-05-12T10:00:00Z')));
