import { Arrivals, openScreens } from './rawClients';

// One instance's screens in a process of their own (see screenProcesses.ts), run with `fork`. Asked
// to `begin`, it counts frames from the given seq; asked to `collect`, it hands its arrivals back;
// `close` ends it.
const opts = JSON.parse(process.argv[2]!) as { baseUrl: string; n: number; token?: string; siteId: string };
const arrivals = new Arrivals();
const screens = await openScreens(opts.baseUrl, { ...opts, arrivals });
process.on('message', (msg: { type: 'begin'; countFrom: number } | { type: 'collect' } | { type: 'close' }) => {
  if (msg.type === 'begin') arrivals.begin(msg.countFrom);
  else if (msg.type === 'collect') process.send!({ type: 'arrivals', arrivals: arrivals.exported() });
  else {
    screens.close();
    process.disconnect();
  }
});
process.send!({ type: 'ready', startSeq: arrivals.startSeq });
