/** English messages of the network of sites (issue 18), spread into `en`. */
export const networkEn = {
  network: {
    region: 'Where to send people',
    sendTo: 'Send people to {site}',
    why: 'Here: {wait} min wait, {queue} in the queue',
    free: {
      injection: '{n} free injection place | {n} free injection places',
      inhalation: '{n} free smoking place | {n} free smoking places',
    },
    noQueue: 'no queue',
    queue: '{n} in the queue',
    wait: 'about {n} min wait',
    openUntil: 'open until {time}',
    openAllDay: 'open round the clock',
    walk: '{n} min walk',
    sentTo: 'Sent to {site}',
    sendChoice: 'Sent to another site…',
    sendChoiceTitle: 'Walked away: sent to which site?',
    cancel: 'Cancel',
    didSend: 'Walked away · sent to {site}',
    sentToColumn: 'Sent to {site}',
    settings: {
      title: 'Network of sites',
      intro: 'Sites of one network a few minutes apart suggest each other when one is full, and staff can record a walk-away as sent to one of them.',
      name: 'Network name',
      nameHint: 'Sites with the same name form one network (e.g. København). Empty: not in a network.',
      walk: 'Minutes walking to {site}',
      threshold: 'Suggest another site once the wait passes (min)',
      thresholdHint: 'The wall and console also suggest one whenever the load level is busy or worse. Default 20.',
      none: 'No other site has this network name yet.',
    },
  },
};
